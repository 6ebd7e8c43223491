import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

// The exact bytes of an inbound mail (headers, every part, the quoted history the message text
// leaves out), one row per stored inbound email message. `GET /api/v1/messages/:id/raw` serves
// them as they came; `/email` parses them again for the headers and the sanitised HTML.
@Entity('email_sources')
export class EmailSourceEntity {
  // The Parley message.
  @PrimaryColumn({ type: 'uuid' })
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
