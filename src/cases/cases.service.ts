import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';
import { DomainError, NotFoundError } from '../common/errors';
import { ContactsService } from '../contacts/contacts.service';
import { retryTransaction } from '../database/transaction-retry';
import { type EventBatch, EventsService } from '../events/events.service';
import { SkillEntity } from '../skills/skill.entity';
import { UserEntity } from '../users/user.entity';
import { type CaseAccess, canSee } from './case-access';
import { CaseHooks } from './case-hooks';
import { CaseEntity, type CaseStatus } from './case.entity';
import { caseFromRow } from './case-row';
import { type CaseView, toCaseView } from './case-view';
import { decodeCursor, encodeCursor } from './cursor';

export interface CaseFilter {
  status?: CaseStatus[];
  channelType?: string[];
  skillId?: string;
  assigneeId?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

export interface CasePatch {
  status?: CaseStatus;
  assigneeId?: string | null;
  skillId?: string;
  priority?: number;
}

@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly contacts: ContactsService,
    private readonly events: EventsService,
    private readonly hooks: CaseHooks,
  ) {}

  async list(access: CaseAccess, filter: CaseFilter): Promise<{ items: CaseView[]; nextCursor: string | null }> {
    const { user } = access;
    const where: string[] = ['c.tenant_id = $1'];
    const params: unknown[] = [user.tenantId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status?.length) where.push(`c.status = ANY(${param(filter.status)}::text[])`);
    if (filter.channelType?.length) where.push(`c.channel_type = ANY(${param(filter.channelType)}::text[])`);
    if (filter.skillId) where.push(`c.skill_id = ${param(filter.skillId)}`);
    if (filter.assigneeId) where.push(`c.assignee_id = ${param(filter.assigneeId)}`);
    if (filter.q) {
      const like = param(`%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      where.push(`(c.subject ILIKE ${like} OR c.last_message_preview ILIKE ${like} OR c.contact_address ILIKE ${like}
        OR EXISTS (SELECT 1 FROM contacts k WHERE k.id = c.contact_id AND (k.name ILIKE ${like} OR k.email ILIKE ${like})))`);
    }
    if (user.role === 'agent') {
      where.push(`(c.assignee_id = ${param(user.id)} OR (c.assignee_id IS NULL AND c.skill_id = ANY(${param(access.skillIds)}::uuid[])))`);
    }
    if (filter.cursor) {
      const [at, id] = decodeCursor(filter.cursor);
      where.push(`(c.last_message_at, c.id) < (${param(at)}::timestamptz, ${param(id)}::uuid)`);
    }
    params.push(filter.limit + 1);
    const raw: Record<string, unknown>[] = await this.db.query(
      `SELECT c.* FROM cases c WHERE ${where.join(' AND ')}
        ORDER BY c.last_message_at DESC, c.id DESC LIMIT $${params.length}`,
      params,
    );
    const entities = raw.map(caseFromRow);
    const page = entities.slice(0, filter.limit);
    const contacts = await this.contacts.views(this.db.manager, user.tenantId, page.map((c) => c.contactId));
    const last = page[page.length - 1];
    return {
      items: page.map((c) => toCaseView(c, contacts.get(c.contactId))),
      nextCursor: entities.length > filter.limit && last ? encodeCursor(last.lastMessageAt!, last.id) : null,
    };
  }

  async get(access: CaseAccess, id: string): Promise<CaseView> {
    const entity = await this.visible(access, id);
    return this.view(this.db.manager, entity);
  }

  // The case, if this user may see it; otherwise 404 (never 403 across tenants or queues).
  async visible(access: CaseAccess, id: string, manager: EntityManager = this.db.manager): Promise<CaseEntity> {
    const entity = await manager.findOneBy(CaseEntity, { tenantId: access.user.tenantId, id });
    if (!entity || !canSee(access, entity)) throw new NotFoundError('Case');
    return entity;
  }

  async view(m: EntityManager, entity: CaseEntity): Promise<CaseView> {
    const contacts = await this.contacts.views(m, entity.tenantId, [entity.contactId]);
    return toCaseView(entity, contacts.get(entity.contactId));
  }

  // Several cases of one tenant, one contacts query.
  async views(m: EntityManager, tenantId: string, entities: CaseEntity[]): Promise<CaseView[]> {
    const contacts = await this.contacts.views(m, tenantId, entities.map((c) => c.contactId));
    return entities.map((c) => toCaseView(c, contacts.get(c.contactId)));
  }

  // Run again when it lost a race PostgreSQL settled by aborting it (its hooks move capacity and
  // assignments, which other instances move too); afterCommit work comes from the last attempt.
  async update(access: CaseAccess, id: string, patch: CasePatch): Promise<CaseView> {
    let afterCommit: Array<() => void> = [];
    const result = await retryTransaction(() => {
      afterCommit = [];
      return this.updateOnce(access, id, patch, (task) => afterCommit.push(task));
    });
    for (const task of afterCommit) task();
    return result;
  }

  private updateOnce(access: CaseAccess, id: string, patch: CasePatch, afterCommit: (task: () => void) => void): Promise<CaseView> {
    const tenantId = access.user.tenantId;
    return this.events.transaction(async (m, events) => {
      const current = await m.findOne(CaseEntity, { where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
      if (!current || !canSee(access, current)) throw new NotFoundError('Case');
      if (current.status === 'closed') throw new DomainError('INVALID_TRANSITION', 'A closed case cannot change');
      if (patch.status === 'new' && current.status !== 'new') {
        throw new DomainError('INVALID_TRANSITION', `A case cannot go back from ${current.status} to new`);
      }
      if (patch.assigneeId !== undefined && patch.assigneeId !== null) {
        if (access.user.role === 'agent' && patch.assigneeId !== access.user.id) {
          throw new DomainError('FORBIDDEN', 'Agents can only assign cases to themselves');
        }
        const exists = await m.exists(UserEntity, { where: { tenantId, id: patch.assigneeId } });
        if (!exists) throw new DomainError('VALIDATION_FAILED', 'assigneeId: unknown user', [{ field: 'assigneeId', message: 'unknown user' }]);
      }
      if (patch.skillId !== undefined) {
        const exists = await m.exists(SkillEntity, { where: { tenantId, id: patch.skillId } });
        if (!exists) throw new DomainError('VALIDATION_FAILED', 'skillId: unknown skill', [{ field: 'skillId', message: 'unknown skill' }]);
      }
      const changes: Partial<CaseEntity> = {};
      if (patch.status !== undefined) changes.status = patch.status;
      if (patch.assigneeId !== undefined) changes.assigneeId = patch.assigneeId;
      if (patch.skillId !== undefined) changes.skillId = patch.skillId;
      if (patch.priority !== undefined) changes.priority = patch.priority;
      const former = { skillId: current.skillId, assigneeId: current.assigneeId };
      const extra = await this.hooks.beforeUpdate({ manager: m, events, user: access.user, before: { ...current }, changes, afterCommit });
      const all: Partial<CaseEntity> = { ...changes, ...extra, updatedAt: new Date() };
      Object.assign(current, all);
      await m.update(CaseEntity, { id }, all);
      const view = await this.view(m, current);
      this.recordCaseEvent(events, 'case.updated', current, view, former);
      return view;
    });
  }

  // `former`: the case's skill and assignee before the change, so that whoever just lost sight of
  // the case (its previous assignee, the agents of the queue it left) hears of it too.
  recordCaseEvent(events: EventBatch, type: 'case.created' | 'case.updated', c: CaseEntity, view: CaseView, former?: { skillId: string | null; assigneeId: string | null }): void {
    let formerSkillId: string | null = null;
    let formerAssigneeId: string | null = null;
    if (former) {
      if (former.assigneeId && former.assigneeId !== c.assigneeId) formerAssigneeId = former.assigneeId;
      if (!former.assigneeId && former.skillId && (c.assigneeId || former.skillId !== c.skillId)) formerSkillId = former.skillId;
    }
    events.add({ tenantId: c.tenantId, type, caseId: c.id, skillId: c.skillId, assigneeId: c.assigneeId, formerSkillId, formerAssigneeId, data: view });
  }
}
