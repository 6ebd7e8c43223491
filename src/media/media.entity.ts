import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantEntity } from '../tenants/tenant.entity';

// Media Parley keeps itself: provider media ids and download URLs expire (WhatsApp, Telegram),
// so inbound attachments are copied here while the webhook is in hand, and uploads (web chat,
// email) land here too. Stored in the database so that every instance serves every file and
// a backup of the database is a backup of the inbox.
@Entity('media')
@Index(['tenantId', 'sha256'], { unique: true })
export class MediaEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => TenantEntity, { name: 'fk_media_tenant' })
  tenantId!: string;

  @Column({ type: 'text' })
  contentType!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'integer' })
  size!: number;

  // Hex SHA-256 of the bytes: a redelivered webhook stores its media once.
  @Column({ type: 'text' })
  sha256!: string;

  @Column({ type: 'bytea' })
  data!: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
