import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ChannelEntity } from '../channels/channel.entity';
import { ContactEntity } from '../contacts/contact.entity';
import { SkillEntity } from '../skills/skill.entity';
import { UserEntity } from '../users/user.entity';

export const CASE_STATUSES = ['new', 'open', 'pending', 'escalated', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
