import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { SkillEntity } from '../skills/skill.entity';
import { UserEntity } from '../users/user.entity';
import type { ChannelFamily } from './channel-family';

export const ASSIGNMENT_REASONS = ['push', 'pick', 'transfer', 'manual', 'round_robin', 'reopen'] as const;
export type AssignmentReason = (typeof ASSIGNMENT_REASONS)[number];

// Who held a case when. At most one open row per case (ended_at IS NULL): the unique index makes
// a double assignment impossible, whatever races above it.
@Entity('case_assignments')
@Index('idx_case_assignments_case', ['caseId', 'startedAt'])
@Index('uq_case_assignments_open', ['caseId'], { unique: true, where: '"ended_at" IS NULL' })
export class CaseAssignmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CaseEntity, { name: 'fk_case_assignments_case' })
  caseId!: string;

  // History is a record: a user who held cases is not deleted from under it.
  @Column({ type: 'uuid' })
  @ForeignKey(() => UserEntity, { name: 'fk_case_assignments_agent' })
  agentId!: string;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => SkillEntity, { name: 'fk_case_assignments_skill', onDelete: 'SET NULL' })
  skillId!: string | null;

  // The family whose load this assignment counts in.
  @Column({ type: 'text' })
  family!: ChannelFamily;

  @Column({ type: 'text' })
  reason!: AssignmentReason;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;
}
