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

// Most offers one transaction makes.
const BATCH = 25;

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
    // Nobody available for the skill (a night shift, a burst nobody works yet): one read instead
    // of a transaction per channel family, after every inbound batch that opened a case.
    const available: unknown[] = await this.db.query(
      `SELECT 1 FROM user_skills us JOIN agents a ON a.user_id = us.user_id AND a.state = 'available' WHERE us.tenant_id = $1 AND us.skill_id = $2 LIMIT 1`,
      [tenantId, skillId],
    );
    if (available.length === 0) return 0;
    const defaults = await this.settings.capacity(tenantId);
    let offered = 0;
    const open = new Set<ChannelFamily>(CHANNEL_FAMILIES);
    while (open.size && !this.stopped) {
      for (const family of [...open]) {
        const made = await this.offerBatch(tenantId, skillId, family, config, defaults);
        offered += made;
        if (made === 0) open.delete(family);
      }
    }
    return offered;
  }

  // One transaction: the head cases of the family's queue (as many as there is room for, up to
  // BATCH), each to the best candidate left. A long queue after a burst is then worked off in a
  // few transactions instead of one per case. Cases and agents another transaction holds are
  // skipped (SKIP LOCKED), so this never waits on a row lock but a load row's; capacity is still
  // taken by the conditional update.
  private offerBatch(tenantId: string, skillId: string, family: ChannelFamily, config: SkillRoutingConfig, defaults: Capacity): Promise<number> {
    const mode = config.routingMode === 'round_robin' ? 'round_robin' : 'push';
    return this.events.transaction(async (m, events) => {
      const pool = await this.candidates(m, tenantId, skillId, family, defaults);
      const room = pool.reduce((sum, c) => sum + c.capacity - c.load, 0);
      if (room <= 0) return 0;
      const cases = await m
        .createQueryBuilder(CaseEntity, 'c')
        .where(`c.tenant_id = :tenantId AND c.skill_id = :skillId AND c.routing_state = 'queued' AND c.channel_type IN (:...types)`, { tenantId, skillId, types: channelTypesOf(family) })
        .orderBy('c.priority', 'DESC')
        .addOrderBy('c.queued_at', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(Math.min(BATCH, room))
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (cases.length === 0) return 0;
      const usable = new Map<string, boolean>();
      const routedAt = new Map<string, Date>();
      const offered: CaseEntity[] = [];
      const now = Date.now();
      for (const c of cases) {
        const declined = new Set(c.declinedBy ?? []);
        for (const candidate of rankCandidates(pool.map((x) => ({ ...x, declined: declined.has(x.userId) })), mode)) {
          const member = pool.find((x) => x.userId === candidate.userId)!;
          if (!usable.has(member.userId)) {
            const rows: Array<{ state: string }> = await m.query('SELECT state FROM agents WHERE user_id = $1 FOR UPDATE SKIP LOCKED', [member.userId]);
            usable.set(member.userId, rows[0]?.state === 'available');
          }
          if (!usable.get(member.userId) || !(await this.capacity.reserve(m, tenantId, member.userId, family, member.capacity))) {
            member.load = member.capacity;
            continue;
          }
          // Distinct instants keep the ranking strict within the batch (longest idle, round robin).
          const at = new Date(now + offered.length);
          this.routing.offer(c, member.userId, mode, new Date(at.getTime() + config.offerTimeoutSeconds * 1000));
          c.updatedAt = at;
          member.load++;
          member.idleSince = at;
          member.lastRoutedAt = at;
          routedAt.set(member.userId, at);
          offered.push(c);
          break;
        }
      }
      for (const c of offered) {
        await m.update(CaseEntity, { id: c.id }, { routingState: c.routingState, offeredTo: c.offeredTo, offerExpiresAt: c.offerExpiresAt, offerReason: c.offerReason, updatedAt: c.updatedAt });
      }
      for (const [userId, at] of routedAt) {
        await m.query('UPDATE agents SET idle_since = $2 WHERE user_id = $1', [userId, at]);
        await m.query('UPDATE user_skills SET last_routed_at = $3 WHERE user_id = $1 AND skill_id = $2', [userId, skillId, at]);
      }
      const views = await this.cases.views(m, tenantId, offered);
      offered.forEach((c, i) => this.cases.recordCaseEvent(events, 'case.updated', c, views[i]!, { skillId: c.skillId, assigneeId: null }));
      return offered.length;
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
