import { Column, CreateDateColumn, DeleteDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ChannelKind } from '../../channels/channel-adapter.port';
import { SkillEntity } from '../skills/skill.entity';
import { TenantEntity } from '../tenants/tenant.entity';

export type ChannelHealth = 'ok' | 'needs_attention';

@Entity('channels')
@Index(['tenantId'])
export class ChannelEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => TenantEntity, { name: 'fk_channels_tenant' })
  tenantId!: string;

  @Column({ type: 'text' })
  type!: ChannelKind;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => SkillEntity, { name: 'fk_channels_default_skill' })
  defaultSkillId!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  // Config without its secret fields.
  @Column({ type: 'jsonb', default: () => "'{}'" })
  config!: Record<string, unknown>;

  // The secret fields, as JSON encrypted with AES-256-GCM under SECRETS_KEY.
  @Column({ type: 'text', nullable: true })
  secrets!: string | null;

  // Set when the provider revoked our credentials; shown to the admin.
  @Column({ type: 'text', default: 'ok' })
  health!: ChannelHealth;

  @Column({ type: 'text', nullable: true })
  healthReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  // Deleted channels stay for the cases that reference them; webhooks to them answer 404.
  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt!: Date | null;
}
