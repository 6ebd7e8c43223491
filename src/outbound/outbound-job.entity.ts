import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MessageEntity } from '../messages/message.entity';

// The durable outbound queue: one row per message to deliver, claimed by workers with
// FOR UPDATE SKIP LOCKED so that several server processes share it without double sends.
@Entity('outbound_jobs')
@Index('idx_outbound_jobs_due', ['runAt'])
export class OutboundJobEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  // Checked at commit: enqueued in the same transaction as its message.
  @Column({ type: 'uuid', unique: true })
  @ForeignKey(() => MessageEntity, { name: 'fk_outbound_jobs_message', onDelete: 'CASCADE', deferrable: 'INITIALLY DEFERRED' })
  messageId!: string;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz' })
  runAt!: Date;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
