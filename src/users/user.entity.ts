import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SkillEntity } from '../skills/skill.entity';
import { TenantEntity } from '../tenants/tenant.entity';

export const ROLES = ['admin', 'supervisor', 'agent'] as const;
export type Role = (typeof ROLES)[number];

@Entity('users')
@Index(['tenantId'])
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => TenantEntity, { name: 'fk_users_tenant' })
  tenantId!: string;

  // Lower-cased; unique in the whole installation (login takes no tenant).
  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: Role;

  // Routing capacity per channel family, overriding the tenant's defaults family by family
  // ({"chat": 2}); null: the defaults.
  @Column({ type: 'jsonb', nullable: true })
  capacity!: Partial<Record<'chat' | 'messaging' | 'email', number>> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity('user_skills')
@Index(['skillId'])
export class UserSkillEntity {
  // A membership means nothing without its user or its skill.
  @Column({ type: 'uuid', primary: true })
  @ForeignKey(() => UserEntity, { name: 'fk_user_skills_user', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'uuid', primary: true })
  @ForeignKey(() => SkillEntity, { name: 'fk_user_skills_skill', onDelete: 'CASCADE' })
  skillId!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  // 1 (novice) – 20 (expert); routing prefers higher.
  @Column({ type: 'smallint', default: 10 })
  proficiency!: number;

  // When this agent last received a case of this skill: round robin turns on it.
  @Column({ type: 'timestamptz', nullable: true })
  lastRoutedAt!: Date | null;
}
