import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type EventBatch, EventsService } from '../events/events.service';
import { AgentsGateway } from '../realtime/agents.gateway';
import type { Role } from '../users/user.entity';
import { type UserSkill, UsersService } from '../users/users.service';
import { AgentEntity, type AgentStateName, type StateSource } from './agent.entity';
import { AssignmentService } from './assignment.service';
import { CapacityService } from './capacity.service';
import { CaseRoutingService } from './case-routing.service';
import { type Capacity, CHANNEL_FAMILIES, effectiveCapacity } from './channel-family';
import { DispatcherService } from './dispatcher.service';
import { IdleReasonsService } from './idle-reasons.service';
import { RoutingSettingsService } from './routing-settings.service';

export interface AgentStateView {
  userId: string;
  state: AgentStateName;
  reasonCode: string | null;
  source: StateSource;
  since: string;
}

export interface AgentView {
  user: { id: string; name: string; email: string; role: Role };
  state: AgentStateView;
  load: Capacity;
  capacity: Capacity;
  skills: UserSkill[];
}

export interface StateInput {
  state: AgentStateName;
  reasonCode?: string | null;
}

// Beyond the grace period, an agent whose instance stopped refreshing their presence (it
// crashed: no disconnect was ever seen) is taken offline too, after this much more.
const STALE_MARGIN_MS = 60_000;

// Agent states: available, unavailable (with an idle reason code) or offline (no socket for the
// grace period). Every change records its source and is pushed as `agent.state`.
@Injectable()
export class AgentStateService {
  private readonly logger = new Logger('AgentState');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventsService,
    private readonly users: UsersService,
    private readonly reasons: IdleReasonsService,
    private readonly routing: CaseRoutingService,
    private readonly capacity: CapacityService,
    private readonly settings: RoutingSettingsService,
    private readonly dispatcher: DispatcherService,
    private readonly assignments: AssignmentService,
    private readonly gateway: AgentsGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(tenantId: string, userId: string): Promise<AgentStateView> {
    await this.users.get(tenantId, userId);
    await this.ensure(tenantId, userId);
    return toView(await this.db.getRepository(AgentEntity).findOneByOrFail({ tenantId, userId }));
  }

  // `onlyIfSource`: change nothing unless the latest change came from that source (Teams
  // presence sync gives an agent back only what it took: never overriding the agent, a
  // supervisor or a no-answer timeout).
  async set(tenantId: string, userId: string, input: StateInput, source: StateSource, options: { onlyIfSource?: StateSource } = {}): Promise<AgentStateView> {
    await this.users.get(tenantId, userId);
    const reasonCode = input.state === 'unavailable' ? (input.reasonCode ?? null) : null;
    if (input.state === 'unavailable' && (!reasonCode || !(await this.reasons.exists(tenantId, reasonCode)))) {
      throw new DomainError('VALIDATION_FAILED', 'reasonCode: not a defined idle reason', [{ field: 'reasonCode', message: 'not a defined idle reason (GET /api/v1/idle-reasons)' }]);
    }
    const result = await this.events.transaction(async (m, events) => {
      const agent = await this.routing.lockAgent(m, tenantId, userId);
      if (options.onlyIfSource && agent.source !== options.onlyIfSource) return { view: toView(agent), changed: false };
      // Without a socket yet, the offline grace period starts now.
      if (input.state !== 'offline') {
        await m.query('INSERT INTO agent_presence (user_id, tenant_id, seen_at, disconnected_at) VALUES ($1, $2, now(), now()) ON CONFLICT (user_id) DO NOTHING', [userId, tenantId]);
      }
      return this.apply(m, events, agent, input.state, reasonCode, source);
    });
    if (result.changed) this.afterChange(tenantId, userId, result.view.state);
    return result.view;
  }

  // Inside the caller's transaction, with the agent row locked. No change, no event.
  async apply(m: EntityManager, events: EventBatch, agent: AgentEntity, state: AgentStateName, reasonCode: string | null, source: StateSource, extra: Partial<AgentEntity> = {}): Promise<{ view: AgentStateView; changed: boolean }> {
    if (agent.state === state && agent.reasonCode === reasonCode) return { view: toView(agent), changed: false };
    const now = new Date();
    const changes: Partial<AgentEntity> = { state, reasonCode, source, since: now, resumeState: null, resumeReasonCode: null, ...extra };
    if (state === 'available') changes.idleSince = now;
    await m.update(AgentEntity, { userId: agent.userId }, changes);
    Object.assign(agent, changes);
    const view = toView(agent);
    events.add({ tenantId: agent.tenantId, type: 'agent.state', caseId: null, skillId: null, assigneeId: null, data: view });
    return { view, changed: true };
  }

  afterChange(tenantId: string, userId: string, state: AgentStateName): void {
    if (state === 'available') this.dispatcher.requestAgent(tenantId, userId);
    if (state === 'offline') this.assignments.withdrawOffersOf(tenantId, userId).catch((error: unknown) => this.logger.warn({ err: error, userId }, 'could not withdraw offers'));
  }

  async list(tenantId: string): Promise<AgentView[]> {
    const users = await this.users.list(tenantId);
    const states = new Map((await this.db.getRepository(AgentEntity).find({ where: { tenantId } })).map((a) => [a.userId, a]));
    const loads = await this.capacity.loadsOf(tenantId);
    const defaults = await this.settings.capacity(tenantId);
    const zero = Object.fromEntries(CHANNEL_FAMILIES.map((f) => [f, 0])) as Capacity;
    return users
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((u) => {
        const state = states.get(u.id);
        return {
          user: { id: u.id, name: u.name, email: u.email, role: u.role },
          state: state ? toView(state) : { userId: u.id, state: 'offline', reasonCode: null, source: 'system', since: new Date(u.createdAt).toISOString() },
          load: loads.get(u.id) ?? { ...zero },
          capacity: effectiveCapacity(defaults, u.capacity),
          skills: u.skills,
        };
      });
  }

  // A user's first socket opened on this instance: their presence is fresh, and an agent the
  // system took offline for lack of a connection gets their previous state back.
  async connected(user: AuthUser): Promise<void> {
    await this.db.query(
      `INSERT INTO agent_presence (user_id, tenant_id, seen_at, disconnected_at) VALUES ($1, $2, now(), NULL)
       ON CONFLICT (user_id) DO UPDATE SET seen_at = now(), disconnected_at = NULL`,
      [user.id, user.tenantId],
    );
    const [row]: Array<{ state: AgentStateName; resume_state: AgentStateName | null }> = await this.db.query('SELECT state, resume_state FROM agents WHERE user_id = $1', [user.id]);
    if (row?.state !== 'offline' || !row.resume_state) return;
    const result = await this.events.transaction(async (m, events) => {
      const agent = await this.routing.lockAgent(m, user.tenantId, user.id);
      if (agent.state !== 'offline' || !agent.resumeState) return { view: toView(agent), changed: false };
      return this.apply(m, events, agent, agent.resumeState, agent.resumeReasonCode, 'system');
    });
    if (result.changed) this.afterChange(user.tenantId, user.id, result.view.state);
  }

  // Their last socket on this instance closed; if none is left on any instance, the grace
  // period starts.
  async disconnected(user: AuthUser): Promise<void> {
    if (await this.gateway.isConnected(user.id)) return;
    await this.db.query('UPDATE agent_presence SET disconnected_at = now() WHERE user_id = $1 AND disconnected_at IS NULL', [user.id]);
  }

  async heartbeat(): Promise<void> {
    const ids = this.gateway.localUsers().map((u) => u.id);
    if (ids.length) await this.db.query('UPDATE agent_presence SET seen_at = now(), disconnected_at = NULL WHERE user_id = ANY($1::uuid[])', [ids]);
  }

  // Agents without a socket for the grace period go offline (source system).
  async sweepOffline(): Promise<void> {
    const rows: Array<{ user_id: string; tenant_id: string }> = await this.db.query(
      `SELECT a.user_id, a.tenant_id FROM agents a LEFT JOIN agent_presence p ON p.user_id = a.user_id
        WHERE a.state <> 'offline' AND ${OFFLINE_CONDITION}`,
      [this.config.routing.offlineGraceMs, this.config.routing.offlineGraceMs + STALE_MARGIN_MS],
    );
    for (const r of rows) {
      const result = await this.events.transaction(async (m, events) => {
        const agent = await this.routing.lockAgent(m, r.tenant_id, r.user_id);
        const still: unknown[] = await m.query(`SELECT 1 FROM agents a LEFT JOIN agent_presence p ON p.user_id = a.user_id WHERE a.user_id = $3 AND ${OFFLINE_CONDITION}`, [
          this.config.routing.offlineGraceMs,
          this.config.routing.offlineGraceMs + STALE_MARGIN_MS,
          r.user_id,
        ]);
        if (agent.state === 'offline' || still.length === 0) return { view: toView(agent), changed: false };
        return this.apply(m, events, agent, 'offline', null, 'system', { resumeState: agent.state, resumeReasonCode: agent.reasonCode });
      });
      if (result.changed) this.afterChange(r.tenant_id, r.user_id, 'offline');
    }
  }

  private async ensure(tenantId: string, userId: string): Promise<void> {
    await this.db.query('INSERT INTO agents (user_id, tenant_id) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING', [userId, tenantId]);
  }
}

// $1 grace, $2 stale limit (ms). Never connected since a state was set, disconnected for the
// grace period, or not refreshed by any instance for longer than that.
const OFFLINE_CONDITION = `(
  (p.user_id IS NULL AND a.since < now() - make_interval(secs => $1 / 1000.0))
  OR p.disconnected_at < now() - make_interval(secs => $1 / 1000.0)
  OR p.seen_at < now() - make_interval(secs => $2 / 1000.0))`;

function toView(a: AgentEntity): AgentStateView {
  return { userId: a.userId, state: a.state, reasonCode: a.reasonCode, source: a.source, since: new Date(a.since).toISOString() };
}
