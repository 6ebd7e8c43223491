import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ChannelEntity } from '../channels/channel.entity';
import { ContactEntity } from '../contacts/contact.entity';
import { SkillEntity } from '../skills/skill.entity';
import { UserEntity } from '../users/user.entity';

export const CASE_STATUSES = ['new', 'open', 'pending', 'escalated', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

// Where a case stands in routing (src/routing): waiting in its skill's queue, offered to one
// agent, or assigned. Null when it is not routed (resolved, closed).
export const ROUTING_STATES = ['queued', 'offered', 'assigned'] as const;
export type RoutingState = (typeof ROUTING_STATES)[number];

export interface CaseOption {
  index: number;
  title: string;
  payload: string;
}

@Entity('cases')
// The inbox: newest activity first, keyset on (last_message_at, id).
@Index('idx_cases_inbox', ['tenantId', 'lastMessageAt', 'id'])
@Index('idx_cases_status_inbox', ['tenantId', 'status', 'lastMessageAt', 'id'])
@Index('idx_cases_assignee', ['tenantId', 'assigneeId', 'lastMessageAt'])
// A web chat visitor's conversation (every case of their address on the channel).
@Index('idx_cases_channel_address', ['channelId', 'contactAddress'])
// At most one live case per contact, channel and thread: two racing first messages cannot open
// two cases (the loser of the insert re-reads the winner's).
@Index('uq_cases_live_thread', ['channelId', 'contactId', 'threadKey'], { unique: true, where: `"status" <> 'closed'` })
// Routing: each skill's queue, pending offers (the no-answer sweeper), cases to route again, SLA
// clocks not started yet and running clocks (the breach sweeper).
@Index('idx_cases_queue', ['tenantId', 'skillId'], { where: `"routing_state" = 'queued'` })
@Index('idx_cases_offers', ['offerExpiresAt'], { where: `"routing_state" = 'offered'` })
@Index('idx_cases_unrouted', ['tenantId'], { where: `"routing_state" IS NULL AND "skill_id" IS NOT NULL AND "status" NOT IN ('resolved', 'closed')` })
@Index('idx_cases_sla_pending', ['createdAt'], { where: `"sla_pending"` })
@Index('idx_cases_first_response_due', ['firstResponseDueAt'], { where: `"first_responded_at" IS NULL AND "first_response_breached_at" IS NULL` })
@Index('idx_cases_next_response_due', ['nextResponseDueAt'], { where: `"next_response_breached_at" IS NULL` })
@Index('idx_cases_resolution_due', ['resolutionDueAt'], { where: `"resolved_at" IS NULL AND "resolution_breached_at" IS NULL` })
// For fk_cases_contact: deleting a contact (ContactsService drops the one it created when it
// lost a race) checks its cases through this index instead of scanning them all.
@Index('idx_cases_contact', ['contactId'])
export class CaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  // Channels are soft-deleted: a case keeps its channel row.
  @Column({ type: 'uuid' })
  @ForeignKey(() => ChannelEntity, { name: 'fk_cases_channel' })
  channelId!: string;

  @Column({ type: 'text' })
  channelType!: string;

  // Checked at commit: written in the same transaction as a new contact.
  @Column({ type: 'uuid' })
  @ForeignKey(() => ContactEntity, { name: 'fk_cases_contact', deferrable: 'INITIALLY DEFERRED' })
  contactId!: string;

  // The contact's address on this channel (phone, chat id, BYOC user id…): where replies go.
  @Column({ type: 'text' })
  contactAddress!: string;

  // '' for unthreaded channels.
  @Column({ type: 'text', default: '' })
  threadKey!: string;

  @Column({ type: 'text', default: 'new' })
  status!: CaseStatus;

  @Column({ type: 'smallint', default: 0 })
  priority!: number;

  // A deleted skill or user leaves the case unrouted or unassigned rather than taking it along.
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => SkillEntity, { name: 'fk_cases_skill', onDelete: 'SET NULL' })
  skillId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => UserEntity, { name: 'fk_cases_assignee', onDelete: 'SET NULL' })
  assigneeId!: string | null;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastMessageAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  lastMessagePreview!: string | null;

  // Provider timestamp of the customer's latest message: reply windows are measured from it.
  @Column({ type: 'timestamptz', nullable: true })
  lastInboundAt!: Date | null;

  // The options of the latest outbound message: a numbered answer resolves against these only.
  @Column({ type: 'jsonb', default: () => "'[]'" })
  lastOptions!: CaseOption[];

  // Routing. The defaults queue a new case in the INSERT that creates it, whatever path creates
  // it: no window in which a committed case is in no queue.
  @Column({ type: 'text', nullable: true, default: 'queued' })
  routingState!: RoutingState | null;

  // The queue's order is priority, then this; kept through declines and no-answers.
  @Column({ type: 'timestamptz', nullable: true, default: () => 'now()' })
  queuedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => UserEntity, { name: 'fk_cases_offered_to', onDelete: 'SET NULL' })
  offeredTo!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  offerExpiresAt!: Date | null;

  // How the pending offer was chosen (push, round_robin): recorded on the assignment.
  @Column({ type: 'text', nullable: true })
  offerReason!: string | null;

  // Agents who declined this case or let its offer expire: offered it again only after others.
  @Column({ type: 'jsonb', default: () => "'[]'" })
  declinedBy!: string[];

  // The note of a transfer to a skill, handed to whoever takes the case next.
  @Column({ type: 'text', nullable: true })
  routingNote!: string | null;

  // SLA clocks (targets per skill and priority). A new case's clocks are started after commit
  // (or by the sweeper) from its skill's targets.
  @Column({ type: 'boolean', default: true })
  slaPending!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  firstResponseDueAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstResponseBreachedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstRespondedAt!: Date | null;

  // The customer's first message since our last reply: the next-response clock runs from it.
  @Column({ type: 'timestamptz', nullable: true })
  nextResponseSince!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextResponseDueAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextResponseBreachedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolutionDueAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolutionBreachedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  // An agent's latest reply to the customer (internal notes do not count).
  @Column({ type: 'timestamptz', nullable: true })
  lastAgentReplyAt!: Date | null;

  // The out-of-hours automatic reply goes out at most once per case.
  @Column({ type: 'timestamptz', nullable: true })
  outOfHoursRepliedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
