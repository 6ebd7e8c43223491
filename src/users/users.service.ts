import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, NotFoundError } from '../common/errors';
import { isUniqueViolation } from '../database/pg-errors';
import { SkillsService } from '../skills/skills.service';
import { passwordHasher } from './password-hasher';
import { type Role, UserEntity, UserSkillEntity } from './user.entity';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string;
  skillIds: string[];
  createdAt: Date;
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role: Role;
  skillIds?: string[];
}

export type UpdateUserInput = Partial<CreateUserInput>;

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly skills: SkillsService,
  ) {}

  async create(tenantId: string, input: CreateUserInput, manager?: EntityManager): Promise<UserView> {
    const skillIds = [...new Set(input.skillIds ?? [])];
    if (!manager) await this.skills.assertExist(tenantId, skillIds, 'skillIds');
    const passwordHash = await passwordHasher.hash(input.password);
    const work = async (m: EntityManager) => {
      const user = await m.save(UserEntity, m.create(UserEntity, { tenantId, email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash }));
      if (skillIds.length) await m.insert(UserSkillEntity, skillIds.map((skillId) => ({ userId: user.id, skillId, tenantId })));
      return toView(user, skillIds);
    };
    try {
      return manager ? await work(manager) : await this.db.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', 'A user with this email already exists', [{ field: 'email', message: 'already exists' }]);
      throw error;
    }
  }

  async list(tenantId: string): Promise<UserView[]> {
    const users = await this.db.getRepository(UserEntity).find({ where: { tenantId }, order: { createdAt: 'ASC' } });
    const links = await this.db.getRepository(UserSkillEntity).find({ where: { tenantId } });
    return users.map((u) => toView(u, links.filter((l) => l.userId === u.id).map((l) => l.skillId)));
  }

  async get(tenantId: string, id: string): Promise<UserView> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ tenantId, id });
    if (!user) throw new NotFoundError('User');
    return toView(user, await this.skillIdsOf(tenantId, id));
  }

  async skillIdsOf(tenantId: string, userId: string): Promise<string[]> {
    const links = await this.db.getRepository(UserSkillEntity).find({ where: { tenantId, userId } });
    return links.map((l) => l.skillId);
  }

  async update(tenantId: string, id: string, input: UpdateUserInput): Promise<UserView> {
    await this.get(tenantId, id);
    if (input.skillIds) await this.skills.assertExist(tenantId, input.skillIds, 'skillIds');
    const patch: Partial<UserEntity> = {};
    if (input.email !== undefined) patch.email = input.email.toLowerCase();
    if (input.name !== undefined) patch.name = input.name;
    if (input.role !== undefined) patch.role = input.role;
    if (input.password !== undefined) patch.passwordHash = await passwordHasher.hash(input.password);
    try {
      await this.db.transaction(async (m) => {
        if (Object.keys(patch).length) await m.update(UserEntity, { tenantId, id }, patch);
        if (input.skillIds) {
          const skillIds = [...new Set(input.skillIds)];
          await m.delete(UserSkillEntity, { tenantId, userId: id });
          if (skillIds.length) await m.insert(UserSkillEntity, skillIds.map((skillId) => ({ userId: id, skillId, tenantId })));
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', 'A user with this email already exists', [{ field: 'email', message: 'already exists' }]);
      throw error;
    }
    return this.get(tenantId, id);
  }
}

function toView(user: UserEntity, skillIds: string[]): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role, tenantId: user.tenantId, skillIds, createdAt: user.createdAt };
}
