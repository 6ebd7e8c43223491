import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, NotFoundError } from '../common/errors';
import { isUniqueViolation } from '../database/pg-errors';
import { IdleReasonEntity } from './idle-reason.entity';

export interface IdleReasonView {
  code: string;
  label: string;
  // Built in, set by Parley itself; cannot be deleted.
  system: boolean;
}

// An offer nobody answered puts the agent in this state (RONA).
export const NO_ANSWER = 'no_answer';
const BUILT_IN: IdleReasonView[] = [{ code: NO_ANSWER, label: 'No answer', system: true }];

@Injectable()
export class IdleReasonsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(tenantId: string): Promise<IdleReasonView[]> {
    const rows = await this.db.getRepository(IdleReasonEntity).find({ where: { tenantId }, order: { code: 'ASC' } });
    return [...BUILT_IN, ...rows.map((r) => ({ code: r.code, label: r.label, system: false }))];
  }

  async exists(tenantId: string, code: string, m: EntityManager = this.db.manager): Promise<boolean> {
    return BUILT_IN.some((r) => r.code === code) || (await m.exists(IdleReasonEntity, { where: { tenantId, code } }));
  }

  async create(tenantId: string, input: { code: string; label: string }): Promise<IdleReasonView> {
    if (BUILT_IN.some((r) => r.code === input.code)) throw new DomainError('CONFLICT', `"${input.code}" is a built-in reason code`);
    try {
      await this.db.getRepository(IdleReasonEntity).insert({ tenantId, code: input.code, label: input.label });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', `Reason code "${input.code}" already exists`);
      throw error;
    }
    return { code: input.code, label: input.label, system: false };
  }

  // Agents already unavailable with this code keep it; it can no longer be chosen.
  async remove(tenantId: string, code: string): Promise<void> {
    if (BUILT_IN.some((r) => r.code === code)) throw new DomainError('CONFLICT', `"${code}" is a built-in reason code and cannot be deleted`);
    const result = await this.db.getRepository(IdleReasonEntity).delete({ tenantId, code });
    if (!result.affected) throw new NotFoundError('Idle reason');
  }
}
