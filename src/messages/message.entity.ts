import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import type { Content } from '../content/content.schema';

export const MESSAGE_STATUSES = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export type AuthorType = 'contact' | 'agent' | 'system';

@Entity('messages')
@Index('idx_messages_history', ['caseId', 'createdAt', 'id'])
// A provider delivers the same message more than once; this key makes the repeat a no-op.
@Index('uq_messages_provider_id', ['channelId', 'providerMessageId'], { unique: true, where: '"provider_message_id" IS NOT NULL' })
@Index('uq_messages_idempotency', ['caseId', 'idempotencyKey'], { unique: true, where: '"idempotency_key" IS NOT NULL' })
@Index('idx_messages_external', ['channelId', 'externalId'], { where: '"external_id" IS NOT NULL' })
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  // Checked at commit: written in the same transaction as a new case.
  @Column({ type: 'uuid' })
  @ForeignKey(() => CaseEntity, { name: 'fk_messages_case', deferrable: 'INITIALLY DEFERRED' })
  caseId!: string;

  @Column({ type: 'uuid' })
  channelId!: string;

  @Column({ type: 'text' })
  direction!: 'inbound' | 'outbound';

  @Column({ type: 'boolean', default: false })
  internal!: boolean;

  @Column({ type: 'text' })
  authorType!: AuthorType;

  @Column({ type: 'uuid', nullable: true })
  authorId!: string | null;

  @Column({ type: 'jsonb' })
  content!: Content;

  // What was actually sent after fallback; null for inbound messages.
  @Column({ type: 'jsonb', nullable: true })
  rendered!: Content | null;

  @Column({ type: 'text' })
  status!: MessageStatus;

  @Column({ type: 'text', nullable: true })
  providerMessageId!: string | null;

  // The provider's id for an outbound message (for delivery receipts).
  @Column({ type: 'text', nullable: true })
  externalId!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'text', nullable: true })
  idempotencyKey!: string | null;

  // Written by a machine (auto-reply, bounce, bulk mail): never answered automatically.
  @Column({ type: 'boolean', default: false })
  automated!: boolean;

  // SMS segments of an outbound message.
  @Column({ type: 'smallint', nullable: true })
  segments!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
