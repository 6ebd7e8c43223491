import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { DomainError, NotFoundError } from '../common/errors';
import { isUniqueViolation } from '../database/pg-errors';
import { SkillEntity } from './skill.entity';

export interface SkillView {
  id: string;
  name: string;
}

@Injectable()
export class SkillsService {
  constructor(@InjectRepository(SkillEntity) private readonly skills: Repository<SkillEntity>) {}

  async create(tenantId: string, name: string): Promise<SkillView> {
    try {
      const skill = await this.skills.save(this.skills.create({ tenantId, name }));
      return toView(skill);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', `A skill named "${name}" already exists`);
      throw error;
    }
  }

  async list(tenantId: string): Promise<SkillView[]> {
    return (await this.skills.find({ where: { tenantId }, order: { name: 'ASC' } })).map(toView);
  }

  async get(tenantId: string, id: string): Promise<SkillView> {
    const skill = await this.skills.findOneBy({ tenantId, id });
    if (!skill) throw new NotFoundError('Skill');
    return toView(skill);
  }

  // Throws a 400 naming `field` when any id is not a skill of this tenant.
  async assertExist(tenantId: string, ids: string[], field: string): Promise<void> {
    if (ids.length === 0) return;
    const found = await this.skills.count({ where: { tenantId, id: In(ids) } });
    if (found !== new Set(ids).size) throw new DomainError('VALIDATION_FAILED', `${field}: unknown skill`, [{ field, message: 'unknown skill' }]);
  }
}

function toView(skill: SkillEntity): SkillView {
  return { id: skill.id, name: skill.name };
}
