import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../database/pg-errors';
import { UserEntity } from '../users/user.entity';
import { type Capacity, CHANNEL_FAMILIES, type ChannelFamily, effectiveCapacity } from './channel-family';
import { RoutingSettingsService } from './routing-settings.service';

// Load accounting: how many cases each agent holds per channel family, against their capacity.
// Every raise and release happens in the transaction that offers, assigns or releases the case.
@Injectable()
export class CapacityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: RoutingSettingsService,
  ) {}

  async capacityOf(m: EntityManager, tenantId: string, userId: string): Promise<Capacity> {
    const user = await m.findOne(UserEntity, { where: { tenantId, id: userId }, select: { id: true, capacity: true } });
    return effectiveCapacity(await this.settings.capacity(tenantId, m), user?.capacity);
  }

  // Takes one unit of the agent's capacity in `family`, or returns false when they are full.
  // The conditional update locks the load row; a concurrent raise waits for it and PostgreSQL
  // re-evaluates `load < capacity` against the committed value, so two transactions can never
  // both take the last unit.
  // One statement: the first unit inserts the row; later ones update it under its row lock
  // (ON CONFLICT DO UPDATE evaluates its WHERE on the locked, latest version).
  async reserve(m: EntityManager, tenantId: string, userId: string, family: ChannelFamily, capacity: number): Promise<boolean> {
    if (capacity < 1) return false;
    const rows = returnedRows(
      await m.query(
        `INSERT INTO agent_loads (user_id, family, tenant_id, load) VALUES ($1, $2, $3, 1)
         ON CONFLICT (user_id, family) DO UPDATE SET load = agent_loads.load + 1 WHERE agent_loads.load < $4
         RETURNING load`,
        [userId, family, tenantId, capacity],
      ),
    );
    return rows.length === 1;
  }

  async release(m: EntityManager, userId: string, family: ChannelFamily): Promise<void> {
    await m.query('UPDATE agent_loads SET load = load - 1 WHERE user_id = $1 AND family = $2 AND load > 0', [userId, family]);
  }

  async loadsOf(tenantId: string): Promise<Map<string, Capacity>> {
    const rows: Array<{ user_id: string; family: ChannelFamily; load: number }> = await this.db.query('SELECT user_id, family, load FROM agent_loads WHERE tenant_id = $1', [tenantId]);
    const out = new Map<string, Capacity>();
    for (const r of rows) {
      const loads = out.get(r.user_id) ?? (Object.fromEntries(CHANNEL_FAMILIES.map((f) => [f, 0])) as Capacity);
      loads[r.family] = Number(r.load);
      out.set(r.user_id, loads);
    }
    return out;
  }
}
