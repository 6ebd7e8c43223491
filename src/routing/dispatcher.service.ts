import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { CasesService } from '../cases/cases.service';
import { EventsService } from '../events/events.service';
import { type Candidate, rankCandidates } from './agent-ranking';
import { CapacityService } from './capacity.service';
import { CaseRoutingService } from './case-routing.service';
import { type Capacity, CHANNEL_FAMILIES, type ChannelFamily, channelTypesOf, effectiveCapacity } from './channel-family';
import { RoutingSettingsService } from './routing-settings.service';
import { type SkillRoutingConfig, SkillRoutingService } from './skill-routing.service';

interface CandidateRow {
  user_id: string;
  proficiency: number;
  last_routed_at: Date | null;
  idle_since: Date | null;
  capacity: Partial<Capacity> | null;
  load: number;
}

// Push and round-robin assignment: offers the head of a skill's queue (per channel family) to
// the best eligible agent, until the queue is empty or nobody has room. Runs after any change
// that may make an offer possible (a case queued, capacity freed, an agent available) and from
// the sweeper as a safety net. Safe on several instances: queued cases are claimed with
// FOR UPDATE SKIP LOCKED and capacity is taken with a conditional UPDATE (CapacityService).
@Injectable()
export class DispatcherService implements OnApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private readonly pending = new Map<string, { tenantId: string; skillId: string }>();
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventsService,
    private readonly cases: CasesService,
    private readonly routing: CaseRoutingService,
    private readonly capacity: CapacityService,
    private readonly settings: RoutingSettingsService,
    private readonly skills: SkillRoutingService,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  requestSkill(tenantId: string, skillId: string | null): void {
    if (!skillId || this.stopped) return;
    this.pending.set(`${tenantId}:${skillId}`, { tenantId, skillId });
    this.kick();
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      // Requests that arrived while the loop was finishing.
      if (this.pending.size) this.kick();
    });
  }

  // An agent may take work: every queue they hold a skill of.
  requestAgent(tenantId: string, userId: string | null): void {
    if (!userId) return;
    this.db
      .query('SELECT skill_id FROM user_skills WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId])
      .then((rows: Array<{ skill_id: string }>) => rows.forEach((r) => this.requestSkill(tenantId, r.skill_id)))
      .catch((error: unknown) => this.logger.warn({ err: error, userId }, 'could not look up the agent skills'));
  }

  // The safety net: every queue holding a waiting case.
  async requestQueued(): Promise<void> {
    const rows: Array<{ tenant_id: string; skill_id: string }> = await this.db.query(`SELECT DISTINCT tenant_id, skill_id FROM cases WHERE routing_state = 'queued' AND skill_id IS NOT NULL`);
    for (const r of rows) this.requestSkill(r.tenant_id, r.skill_id);
  }

  // Resolves when nothing is pending (tests and the bench wait on it).
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Let the caller's synchronous requests gather first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.size && !this.stopped) {
      const [key, next] = [...this.pending.entries()][0]!;
      this.pending.delete(key);
      try {
        await this.dispatchSkill(next.tenantId, next.skillId);
      } catch (error) {
        this.logger.warn({ err: error, skillId: next.skillId }, 'dispatch failed; the sweeper retries');
      }
    }
  }

  async dispatchSkill(tenantId: string, skillId: string): Promise<number> {
    const config = await this.skills.config(tenantId, skillId);
    if (config.routingMode === 'manual') return 0;
    const defaults = await this.settings.capacity(tenantId);
    let offered = 0;
    const open = new Set<ChannelFamily>(CHANNEL_FAMILIES);
    while (open.size && !this.stopped) {
      for (const family of [...open]) {
        if (await this.offerNext(tenantId, skillId, family, config, defaults)) offered++;
        else open.delete(family);
      }
    }
    return offered;
  }

  // One offer, one transaction: the head case of the family's queue to the best candidate.
  private offerNext(tenantId: string, skillId: string, family: ChannelFamily, config: SkillRoutingConfig, defaults: Capacity): Promise<boolean> {
    const mode = config.routingMode === 'round_robin' ? 'round_robin' : 'push';
    return this.events.transaction(async (m, events) => {
      const candidates = await this.candidates(m, tenantId, skillId, family, defaults);
      if (candidates.length === 0) return false;
      const c = await m
        .createQueryBuilder(CaseEntity, 'c')
        .where(`c.tenant_id = :tenantId AND c.skill_id = :skillId AND c.routing_state = 'queued' AND c.channel_type IN (:...types)`, { tenantId, skillId, types: channelTypesOf(family) })
        .orderBy('c.priority', 'DESC')
        .addOrderBy('c.queued_at', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(1)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getOne();
      if (!c) return false;
      const declined = new Set(c.declinedBy ?? []);
      for (const candidate of rankCandidates(candidates.map((x) => ({ ...x, declined: declined.has(x.userId) })), mode)) {
        const agent = await this.routing.lockAgent(m, tenantId, candidate.userId);
        if (agent.state !== 'available') continue;
        if (!(await this.capacity.reserve(m, tenantId, candidate.userId, family, candidate.capacity))) continue;
        const former = { skillId: c.skillId, assigneeId: c.assigneeId };
        const now = new Date();
        const changes = this.routing.offer(c, candidate.userId, mode, new Date(now.getTime() + config.offerTimeoutSeconds * 1000));
        c.updatedAt = now;
        await m.update(CaseEntity, { id: c.id }, { ...changes, updatedAt: now });
        await m.query('UPDATE agents SET idle_since = $2 WHERE user_id = $1', [candidate.userId, now]);
        await m.query('UPDATE user_skills SET last_routed_at = $3 WHERE user_id = $1 AND skill_id = $2', [candidate.userId, skillId, now]);
        this.cases.recordCaseEvent(events, 'case.updated', c, await this.cases.view(m, c), former);
        return true;
      }
      return false;
    });
  }

  // Available agents holding the skill with room left in the family.
  private async candidates(m: EntityManager, tenantId: string, skillId: string, family: ChannelFamily, defaults: Capacity): Promise<Array<Omit<Candidate, 'declined'>>> {
    const rows: CandidateRow[] = await m.query(
      `SELECT us.user_id, us.proficiency, us.last_routed_at, a.idle_since, u.capacity, coalesce(l.load, 0)::int AS load
         FROM user_skills us
         JOIN agents a ON a.user_id = us.user_id AND a.state = 'available'
         JOIN users u ON u.id = us.user_id
         LEFT JOIN agent_loads l ON l.user_id = us.user_id AND l.family = $3
        WHERE us.tenant_id = $1 AND us.skill_id = $2`,
      [tenantId, skillId, family],
    );
    return rows
      .map((r) => ({
        userId: r.user_id,
        proficiency: Number(r.proficiency),
        idleSince: r.idle_since ? new Date(r.idle_since) : null,
        lastRoutedAt: r.last_routed_at ? new Date(r.last_routed_at) : null,
        load: Number(r.load),
        capacity: effectiveCapacity(defaults, r.capacity)[family],
      }))
      .filter((c) => c.load < c.capacity);
  }
}
