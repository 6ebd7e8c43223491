import { Column, Entity } from 'typeorm';
import type { Capacity } from './channel-family';

// A tenant's routing defaults; a tenant without a row uses DEFAULT_CAPACITY.
@Entity('routing_settings')
export class RoutingSettingsEntity {
  @Column({ type: 'uuid', primary: true })
  tenantId!: string;

  @Column({ type: 'jsonb' })
  capacity!: Capacity;
}
