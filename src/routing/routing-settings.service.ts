import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type Capacity, DEFAULT_CAPACITY } from './channel-family';
import { RoutingSettingsEntity } from './routing-settings.entity';

export interface RoutingSettingsView {
  capacity: Capacity;
}

@Injectable()
export class RoutingSettingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  // Pass the transaction's manager when called inside one (PGlite has a single connection).
  async capacity(tenantId: string, m: EntityManager = this.db.manager): Promise<Capacity> {
    const row = await m.findOneBy(RoutingSettingsEntity, { tenantId });
    return { ...DEFAULT_CAPACITY, ...row?.capacity };
  }

  async get(tenantId: string): Promise<RoutingSettingsView> {
    return { capacity: await this.capacity(tenantId) };
  }

  async update(tenantId: string, input: RoutingSettingsView): Promise<RoutingSettingsView> {
    await this.db.query(
      `INSERT INTO routing_settings (tenant_id, capacity) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET capacity = EXCLUDED.capacity`,
      [tenantId, JSON.stringify(input.capacity)],
    );
    return this.get(tenantId);
  }
}
