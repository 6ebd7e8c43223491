import { Column, Entity, ForeignKey } from 'typeorm';
import { TenantEntity } from '../tenants/tenant.entity';
import type { Capacity } from './channel-family';

// A tenant's routing defaults; a tenant without a row uses DEFAULT_CAPACITY.
@Entity('routing_settings')
export class RoutingSettingsEntity {
  @Column({ type: 'uuid', primary: true })
  @ForeignKey(() => TenantEntity, { name: 'fk_routing_settings_tenant' })
  tenantId!: string;

  @Column({ type: 'jsonb' })
  capacity!: Capacity;
}
