import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, NotFoundError } from '../common/errors';
import { isUniqueViolation } from '../database/pg-errors';
import { SkillsService } from '../skills/skills.service';
import { passwordHasher } from './password-hasher';
import { UserChanges } from './user-changes';
import { type Role, UserEntity, UserSkillEntity } from './user.entity';

export type CapacityOverride = Partial<Record<'chat' | 'messaging' | 'email', number>>;

export interface UserSkill {
  skillId: string;
  // 1 (novice) – 20 (expert).
  proficiency: number;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string;
  skillIds: string[];
  skills: UserSkill[];
  // Routing capacity per channel family overriding the tenant defaults; null: the defaults.
  capacity: CapacityOverride | null;
  createdAt: Date;
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role: Role;
  // Either skill ids (proficiency 10, or kept as it is on an update) or skills with proficiency.
  skillIds?: string[];
  skills?: UserSkill[];
  capacity?: CapacityOverride | null;
}

export type UpdateUserInput = Partial<CreateUserInput>;

export const DEFAULT_PROFICIENCY = 10;

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly skills: SkillsService,
    private readonly changes: UserChanges,
  ) {}

  async create(tenantId: string, input: CreateUserInput, manager?: EntityManager): Promise<UserView> {
    const skills = skillList(input);
    if (!manager) await this.skills.assertExist(tenantId, skills.map((s) => s.skillId), input.skills ? 'skills' : 'skillIds');
    const passwordHash = await passwordHasher.hash(input.password);
    const work = async (m: EntityManager) => {
      const user = await m.save(UserEntity, m.create(UserEntity, { tenantId, email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash, capacity: input.capacity ?? null }));
      if (skills.length) await m.insert(UserSkillEntity, skills.map((s) => ({ userId: user.id, skillId: s.skillId, proficiency: s.proficiency, tenantId })));
      return toView(user, skills);
    };
    try {
      const view = manager ? await work(manager) : await this.db.transaction(work);
      if (!manager) this.changes.emit({ tenantId, userId: view.id });
      return view;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', 'A user with this email already exists', [{ field: 'email', message: 'already exists' }]);
      throw error;
    }
  }

  async list(tenantId: string): Promise<UserView[]> {
    const users = await this.db.getRepository(UserEntity).find({ where: { tenantId }, order: { createdAt: 'ASC' } });
    const links = await this.db.getRepository(UserSkillEntity).find({ where: { tenantId } });
    return users.map((u) => toView(u, links.filter((l) => l.userId === u.id)));
  }

  async get(tenantId: string, id: string): Promise<UserView> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ tenantId, id });
    if (!user) throw new NotFoundError('User');
    return toView(user, await this.db.getRepository(UserSkillEntity).find({ where: { tenantId, userId: id } }));
  }

  async skillIdsOf(tenantId: string, userId: string): Promise<string[]> {
    const links = await this.db.getRepository(UserSkillEntity).find({ where: { tenantId, userId } });
    return links.map((l) => l.skillId);
  }

  async update(tenantId: string, id: string, input: UpdateUserInput): Promise<UserView> {
    await this.get(tenantId, id);
    const replaceSkills = input.skills !== undefined || input.skillIds !== undefined;
    const skills = skillList(input);
    if (replaceSkills) await this.skills.assertExist(tenantId, skills.map((s) => s.skillId), input.skills ? 'skills' : 'skillIds');
    const patch: Partial<UserEntity> = {};
    if (input.email !== undefined) patch.email = input.email.toLowerCase();
    if (input.name !== undefined) patch.name = input.name;
    if (input.role !== undefined) patch.role = input.role;
    if (input.capacity !== undefined) patch.capacity = input.capacity;
    if (input.password !== undefined) patch.passwordHash = await passwordHasher.hash(input.password);
    try {
      await this.db.transaction(async (m) => {
        if (Object.keys(patch).length) await m.update(UserEntity, { tenantId, id }, patch);
        if (replaceSkills) {
          await m.query('DELETE FROM user_skills WHERE tenant_id = $1 AND user_id = $2 AND NOT (skill_id = ANY($3::uuid[]))', [tenantId, id, skills.map((s) => s.skillId)]);
          // Kept rows keep their round-robin turn; skillIds alone keep the proficiency too.
          for (const s of skills) {
            await m.query(
              `INSERT INTO user_skills (user_id, skill_id, tenant_id, proficiency) VALUES ($1, $2, $3, $4)
               ON CONFLICT (user_id, skill_id) DO ${input.skills ? 'UPDATE SET proficiency = EXCLUDED.proficiency' : 'NOTHING'}`,
              [id, s.skillId, tenantId, s.proficiency],
            );
          }
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', 'A user with this email already exists', [{ field: 'email', message: 'already exists' }]);
      throw error;
    }
    this.changes.emit({ tenantId, userId: id });
    return this.get(tenantId, id);
  }
}

function skillList(input: { skillIds?: string[]; skills?: UserSkill[] }): UserSkill[] {
  if (input.skills && input.skillIds) throw new DomainError('VALIDATION_FAILED', 'Give skillIds or skills, not both', [{ field: 'skills', message: 'give skillIds or skills, not both' }]);
  const list = input.skills ?? (input.skillIds ?? []).map((skillId) => ({ skillId, proficiency: DEFAULT_PROFICIENCY }));
  const bySkill = new Map(list.map((s) => [s.skillId, s]));
  return [...bySkill.values()];
}

function toView(user: UserEntity, skills: Array<{ skillId: string; proficiency: number }>): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    tenantId: user.tenantId,
    skillIds: skills.map((s) => s.skillId),
    skills: skills.map((s) => ({ skillId: s.skillId, proficiency: s.proficiency })),
    capacity: user.capacity,
    createdAt: user.createdAt,
  };
}
