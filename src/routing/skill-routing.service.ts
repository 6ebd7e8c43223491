import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SkillsService } from '../skills/skills.service';
import type { BusinessHours } from './business-hours';
import type { SlaTarget } from './sla-policy';
import { type RoutingMode, SkillRoutingEntity } from './skill-routing.entity';

export interface SkillRoutingConfig {
  routingMode: RoutingMode;
  offerTimeoutSeconds: number;
  businessHours: BusinessHours | null;
  outOfHoursReply: string | null;
  sla: SlaTarget[];
}

export interface SkillRoutingView extends SkillRoutingConfig {
  id: string;
  name: string;
}

// Settings change rarely and are read on every inbound message: a short cache outside
// transactions (local writes invalidate it; other instances see a change within this).
const CACHE_MS = 5000;

export const DEFAULT_SKILL_ROUTING: Readonly<SkillRoutingConfig> = { routingMode: 'push', offerTimeoutSeconds: 30, businessHours: null, outOfHoursReply: null, sla: [] };

@Injectable()
export class SkillRoutingService {
  private readonly cache = new Map<string, { at: number; config: SkillRoutingConfig }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly skills: SkillsService,
  ) {}

  // Pass the transaction's manager when called inside one (PGlite has a single connection).
  async config(tenantId: string, skillId: string, m: EntityManager = this.db.manager): Promise<SkillRoutingConfig> {
    const row = await m.findOneBy(SkillRoutingEntity, { tenantId, skillId });
    if (!row) return { ...DEFAULT_SKILL_ROUTING };
    return { routingMode: row.routingMode, offerTimeoutSeconds: row.offerTimeoutSeconds, businessHours: row.businessHours, outOfHoursReply: row.outOfHoursReply, sla: row.sla };
  }

  async cached(tenantId: string, skillId: string): Promise<SkillRoutingConfig> {
    const hit = this.cache.get(skillId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.config;
    const config = await this.config(tenantId, skillId);
    this.cache.set(skillId, { at: Date.now(), config });
    return config;
  }

  async modes(tenantId: string): Promise<Map<string, RoutingMode>> {
    const rows = await this.db.getRepository(SkillRoutingEntity).find({ where: { tenantId }, select: { skillId: true, routingMode: true } });
    return new Map(rows.map((r) => [r.skillId, r.routingMode]));
  }

  async view(tenantId: string, skillId: string): Promise<SkillRoutingView> {
    const skill = await this.skills.get(tenantId, skillId);
    return { ...skill, ...(await this.config(tenantId, skillId)) };
  }

  async update(tenantId: string, skillId: string, patch: Partial<SkillRoutingConfig>): Promise<SkillRoutingView> {
    await this.skills.get(tenantId, skillId);
    const next = { ...(await this.config(tenantId, skillId)), ...patch };
    await this.db.query(
      `INSERT INTO skill_routing (skill_id, tenant_id, routing_mode, offer_timeout_seconds, business_hours, out_of_hours_reply, sla)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (skill_id) DO UPDATE SET routing_mode = EXCLUDED.routing_mode, offer_timeout_seconds = EXCLUDED.offer_timeout_seconds,
         business_hours = EXCLUDED.business_hours, out_of_hours_reply = EXCLUDED.out_of_hours_reply, sla = EXCLUDED.sla`,
      [skillId, tenantId, next.routingMode, next.offerTimeoutSeconds, next.businessHours ? JSON.stringify(next.businessHours) : null, next.outOfHoursReply, JSON.stringify(next.sla)],
    );
    this.cache.delete(skillId);
    return this.view(tenantId, skillId);
  }
}
