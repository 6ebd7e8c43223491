import { Column, Entity, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ChannelEntity } from '../channels/channel.entity';

// Where IMAP polling of one channel's mailbox stands, so that a restart resumes after the last
// imported message instead of importing it again. UIDs are only meaningful under their
// UIDVALIDITY (RFC 3501 §2.3.1.1): when the server changes it, the mailbox is read again.
// The lease makes one instance poll a mailbox when several run.
@Entity('imap_states')
export class ImapStateEntity {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => ChannelEntity, { name: 'fk_imap_states_channel', onDelete: 'CASCADE' })
  channelId!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  mailbox!: string;

  // bigint: returned as a string by the driver.
  @Column({ type: 'bigint', nullable: true })
  uidValidity!: string | null;

  @Column({ type: 'bigint', default: 0 })
  lastUid!: string;

  @Column({ type: 'text', nullable: true })
  leaseOwner!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
