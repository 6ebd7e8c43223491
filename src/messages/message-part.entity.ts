import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DeliveryStatus } from '../../channels/channel-adapter.port';
import { MessageEntity } from './message.entity';

// One provider message of an outbound message the provider took as several (a long SMS split
// at 1600 characters, a WhatsApp text followed by its media…). Written as each part is accepted,
// so that a retry resumes after the parts already delivered, and kept so that receipts for any
// part find their message. Single-part messages have no rows: their id is messages.external_id.
@Entity('message_parts')
// Receipts look parts up by the provider's id, like idx_messages_external.
@Index('idx_message_parts_external', ['channelId', 'externalId'])
export class MessagePartEntity {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => MessageEntity, { name: 'fk_message_parts_message', onDelete: 'CASCADE' })
  messageId!: string;

  // 0-based, in sending order; part 0's id is also the message's external_id.
  @PrimaryColumn({ type: 'smallint' })
  partIndex!: number;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  channelId!: string;

  @Column({ type: 'text' })
  externalId!: string;

  // This part's latest receipt; `sent` until one arrives.
  @Column({ type: 'text', default: 'sent' })
  status!: DeliveryStatus;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
