import { Column, CreateDateColumn, Entity, ForeignKey, Index } from 'typeorm';
import { TenantEntity } from '../tenants/tenant.entity';

export const EVENT_TYPES = ['case.created', 'case.updated', 'message.created', 'message.updated', 'agent.state'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

// The realtime event log: pushed over socket.io after commit and replayed by
// GET /api/v1/events?after= for clients that missed some. The case's skill and assignee at the
// time of the event decide who may see it.
@Entity('events')
@Index('idx_events_created', ['createdAt'])
export class EventEntity {
  // Its tenant row is already locked by the event_seq update of the same transaction: the check
  // costs no extra lock. case, skill and assignee are a snapshot of who could see the event, not
  // references (see the ForeignKeys migration).
  @Column({ type: 'uuid', primary: true })
  @ForeignKey(() => TenantEntity, { name: 'fk_events_tenant' })
  tenantId!: string;

  @Column({ type: 'bigint', primary: true })
  seq!: string;

  @Column({ type: 'text' })
  type!: EventType;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  skillId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  assigneeId!: string | null;

  // Who could see the case just before this change and no longer can (the agent it was taken
  // from, the queue it left): they hear of the change too, so their view does not go stale.
  @Column({ type: 'uuid', nullable: true })
  formerSkillId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  formerAssigneeId!: string | null;

  @Column({ type: 'jsonb' })
  data!: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
