import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { MessageEntity } from '../messages/message.entity';

// The exact bytes of an inbound mail (headers, every part, the quoted history the message text
// leaves out), one row per stored inbound email message. `GET /api/v1/messages/:id/raw` serves
// them as they came; `/email` parses them again for the headers and the sanitised HTML.
@Entity('email_sources')
export class EmailSourceEntity {
  // The Parley message. Checked at commit: written in the message's own transaction.
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => MessageEntity, { name: 'fk_email_sources_message', onDelete: 'CASCADE', deferrable: 'INITIALLY DEFERRED' })
  messageId!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  channelId!: string;

  // RFC 5322 bytes as received.
  @Column({ type: 'bytea' })
  raw!: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
