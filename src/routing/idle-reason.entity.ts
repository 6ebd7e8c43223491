import { Column, CreateDateColumn, Entity, ForeignKey } from 'typeorm';
import { TenantEntity } from '../tenants/tenant.entity';

// Reason codes an agent (or a supervisor, or Teams presence sync) gives for being unavailable.
// `no_answer` is built in (the system sets it when an offer times out) and not stored.
@Entity('idle_reasons')
export class IdleReasonEntity {
  @Column({ type: 'uuid', primary: true })
  @ForeignKey(() => TenantEntity, { name: 'fk_idle_reasons_tenant' })
  tenantId!: string;

  @Column({ type: 'text', primary: true })
  code!: string;

  @Column({ type: 'text' })
  label!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
