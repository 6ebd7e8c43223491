import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { type CaseAccess, canSee } from '../cases/case-access';
import type { CaseUpdateContext } from '../cases/case-hooks';
import type { CaseView } from '../cases/case-view';
import { CasesService } from '../cases/cases.service';
import { DomainError, NotFoundError } from '../common/errors';
import { isConcurrencyFailure, isUniqueViolation } from '../database/pg-errors';
import { retryTransaction } from '../database/transaction-retry';
import { type EventBatch, EventsService } from '../events/events.service';
import { MessagesService } from '../messages/messages.service';
import { SkillsService } from '../skills/skills.service';
import { UsersService } from '../users/users.service';
import type { AssignmentReason } from './case-assignment.entity';
import { CaseRoutingService } from './case-routing.service';
import { DispatcherService } from './dispatcher.service';
import { SkillRoutingService } from './skill-routing.service';
import { SlaService } from './sla.service';

export interface AssignmentView {
  agentId: string;
  agentName: string | null;
  skillId: string | null;
  from: string;
  to: string | null;
  reason: AssignmentReason;
  note: string | null;
}

export interface TransferInput {
  toAgentId?: string;
  toSkillId?: string;
  note?: string;
}

type Change = (m: EntityManager, c: CaseEntity, events: EventBatch, afterCommit: (task: () => void) => void) => Promise<Partial<CaseEntity>>;

const DONE = new Set(['resolved', 'closed']);

// Everything that gives a case to an agent or takes it back, apart from push offers
// (DispatcherService): accept, decline, pick, transfer, manual assignment through PATCH
// /cases/:id, release on resolve/close, routing again on reopen, and the history.
@Injectable()
export class AssignmentService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventsService,
    private readonly cases: CasesService,
    private readonly routing: CaseRoutingService,
    private readonly dispatcher: DispatcherService,
    private readonly skillRouting: SkillRoutingService,
    private readonly sla: SlaService,
    private readonly messages: MessagesService,
    private readonly users: UsersService,
    private readonly skills: SkillsService,
  ) {}

  accept(access: CaseAccess, caseId: string): Promise<CaseView> {
    return this.change(access, caseId, async (m, c) => {
      if (c.routingState !== 'offered' || c.offeredTo !== access.user.id) throw new DomainError('CONFLICT', 'This case is not offered to you');
      if (c.offerExpiresAt && new Date(c.offerExpiresAt).getTime() <= Date.now()) throw new DomainError('CONFLICT', 'The offer expired');
      // The capacity the offer reserved becomes the assignment's.
      return this.routing.assign(m, c, access.user.id, (c.offerReason ?? 'push') as AssignmentReason, c.routingNote);
    });
  }

  decline(access: CaseAccess, caseId: string): Promise<CaseView> {
    return this.change(access, caseId, async (m, c, _events, afterCommit) => {
      if (c.routingState !== 'offered' || c.offeredTo !== access.user.id) throw new DomainError('CONFLICT', 'This case is not offered to you');
      const { changes, freed } = await this.routing.withdrawOffer(m, c, true);
      afterCommit(() => {
        this.dispatcher.requestSkill(c.tenantId, c.skillId);
        this.dispatcher.requestAgent(c.tenantId, freed);
      });
      return changes;
    });
  }

  // Manual queues: the first agent to pick a case gets it; the others get 409 (they wait on the
  // case row lock and then find it assigned).
  pick(access: CaseAccess, caseId: string): Promise<CaseView> {
    const { user } = access;
    return this.change(access, caseId, async (m, c) => {
      if (c.routingState !== 'queued' || !c.skillId) throw new DomainError('CONFLICT', 'The case is no longer waiting in a queue');
      const config = await this.skillRouting.config(c.tenantId, c.skillId, m);
      if (config.routingMode !== 'manual') throw new DomainError('CONFLICT', `Cases of this skill are routed by ${config.routingMode}; only manual queues are picked from`);
      const holds: unknown[] = await m.query('SELECT 1 FROM user_skills WHERE user_id = $1 AND skill_id = $2', [user.id, c.skillId]);
      if (holds.length === 0) throw new DomainError('FORBIDDEN', 'You do not hold the skill of this queue');
      await this.routing.lockAgent(m, c.tenantId, user.id);
      await this.routing.reserveFor(m, c, user.id);
      return this.routing.assign(m, c, user.id, 'pick', c.routingNote);
    });
  }

  async transfer(access: CaseAccess, caseId: string, input: TransferInput): Promise<CaseView> {
    const tenantId = access.user.tenantId;
    const actor = await this.users.get(tenantId, access.user.id);
    const toAgent = input.toAgentId ? await this.users.get(tenantId, input.toAgentId).catch(() => null) : null;
    if (input.toAgentId && !toAgent) throw new DomainError('VALIDATION_FAILED', 'toAgentId: unknown user', [{ field: 'toAgentId', message: 'unknown user' }]);
    const toSkill = input.toSkillId ? await this.skills.get(tenantId, input.toSkillId).catch(() => null) : null;
    if (input.toSkillId && !toSkill) throw new DomainError('VALIDATION_FAILED', 'toSkillId: unknown skill', [{ field: 'toSkillId', message: 'unknown skill' }]);
    const names = new Map((await this.users.list(tenantId)).map((u) => [u.id, u.name]));
    const skillNames = new Map((await this.skills.list(tenantId)).map((s) => [s.id, s.name]));

    return this.change(access, caseId, async (m, c, events, afterCommit) => {
      if (DONE.has(c.status)) throw new DomainError('INVALID_TRANSITION', `A ${c.status} case cannot be transferred; reopen it first`);
      const holder = c.routingState === 'assigned' ? c.assigneeId : c.routingState === 'offered' ? c.offeredTo : null;
      if (access.user.role === 'agent' && holder !== access.user.id) throw new DomainError('FORBIDDEN', 'Only the agent holding the case or a supervisor can transfer it');
      const from = holder ? (names.get(holder) ?? 'an agent') : `the ${skillNames.get(c.skillId ?? '') ?? 'unknown'} queue`;
      await this.routing.lockAgents(m, tenantId, [holder, toAgent?.id]);
      const { changes, freed } = await this.routing.release(m, c);
      const out: Partial<CaseEntity> = { ...changes };
      if (toSkill && toSkill.id !== c.skillId) {
        out.skillId = c.skillId = toSkill.id;
        Object.assign(out, apply(c, await this.sla.dueDates(m, c)));
      }
      if (toAgent) {
        await this.routing.reserveFor(m, c, toAgent.id);
        Object.assign(out, await this.routing.assign(m, c, toAgent.id, 'transfer', input.note ?? null));
      } else {
        Object.assign(out, this.routing.queue(c, { note: input.note ?? null }), apply(c, { declinedBy: [] }));
      }
      const to = toAgent ? toAgent.name : `the ${toSkill!.name} queue`;
      await this.messages.addSystemNote(m, events, c, `${actor.name} transferred this case from ${from} to ${to}${toAgent && toSkill ? ` (skill ${toSkill.name})` : ''}.${input.note ? ` Note: ${input.note}` : ''}`);
      afterCommit(() => {
        // Both agents' rows were locked here: a dispatcher that skipped them meanwhile retries.
        this.dispatcher.requestAgent(tenantId, freed);
        this.dispatcher.requestAgent(tenantId, toAgent?.id ?? null);
        if (c.routingState === 'queued') this.dispatcher.requestSkill(tenantId, c.skillId);
      });
      return out;
    });
  }

  async history(access: CaseAccess, caseId: string): Promise<{ items: AssignmentView[] }> {
    await this.cases.visible(access, caseId);
    const rows: Array<{ agent_id: string; name: string | null; skill_id: string | null; started_at: Date; ended_at: Date | null; reason: AssignmentReason; note: string | null }> = await this.db.query(
      `SELECT a.agent_id, u.name, a.skill_id, a.started_at, a.ended_at, a.reason, a.note
         FROM case_assignments a LEFT JOIN users u ON u.id = a.agent_id
        WHERE a.tenant_id = $1 AND a.case_id = $2 ORDER BY a.started_at, a.id`,
      [access.user.tenantId, caseId],
    );
    return {
      items: rows.map((r) => ({
        agentId: r.agent_id,
        agentName: r.name,
        skillId: r.skill_id,
        from: new Date(r.started_at).toISOString(),
        to: r.ended_at ? new Date(r.ended_at).toISOString() : null,
        reason: r.reason,
        note: r.note,
      })),
    };
  }

  // PATCH /cases/:id, inside its transaction: statuses, assignee, skill and priority keep routing,
  // capacity and SLA clocks right.
  async beforeCaseUpdate(context: CaseUpdateContext): Promise<Partial<CaseEntity>> {
    const { manager: m, before, changes, afterCommit } = context;
    const c = { ...before } as CaseEntity;
    const out: Partial<CaseEntity> = {};
    const now = new Date();
    const status = changes.status ?? before.status;
    const freed: string[] = [];

    if (DONE.has(status)) {
      if (c.routingState) {
        const released = await this.routing.release(m, c, now);
        Object.assign(out, released.changes);
        if (released.freed) freed.push(released.freed);
      }
      if (!before.resolvedAt) Object.assign(out, apply(c, this.sla.onResolved(c, now)));
    } else {
      const reopening = before.routingState === null;
      if (reopening && before.resolvedAt) Object.assign(out, apply(c, { resolvedAt: null }));
      const target = changes.assigneeId;
      const unchanged = target === undefined || (before.routingState === 'assigned' && before.assigneeId === target) || (target === null && before.routingState !== 'assigned' && !reopening);
      if (!unchanged) {
        const holder = before.routingState === 'assigned' ? before.assigneeId : before.routingState === 'offered' ? before.offeredTo : null;
        await this.routing.lockAgents(m, c.tenantId, [holder, target]);
        const released = await this.routing.release(m, c, now);
        Object.assign(out, released.changes);
        if (released.freed) freed.push(released.freed);
        if (changes.skillId !== undefined) c.skillId = changes.skillId;
        if (target) {
          await this.routing.reserveFor(m, c, target);
          Object.assign(out, await this.routing.assign(m, c, target, 'manual', null, now));
        } else {
          Object.assign(out, this.routing.queue(c, reopening ? { at: now } : {}));
        }
      } else if (reopening && c.skillId) {
        if (changes.skillId !== undefined) c.skillId = changes.skillId;
        Object.assign(out, await this.route(m, c, now));
      } else if (changes.skillId !== undefined && changes.skillId !== before.skillId && (before.routingState === 'queued' || before.routingState === 'offered')) {
        if (before.routingState === 'offered') {
          const withdrawn = await this.routing.withdrawOffer(m, c, false);
          Object.assign(out, withdrawn.changes);
          if (withdrawn.freed) freed.push(withdrawn.freed);
        }
        c.skillId = changes.skillId;
        Object.assign(out, this.routing.queue(c), apply(c, { declinedBy: [] }));
      }
    }
    if ((changes.skillId !== undefined && changes.skillId !== before.skillId) || (changes.priority !== undefined && changes.priority !== before.priority)) {
      c.skillId = changes.skillId ?? c.skillId;
      c.priority = changes.priority ?? c.priority;
      Object.assign(out, apply(c, await this.sla.dueDates(m, c)));
    }
    afterCommit(() => {
      for (const agent of freed) this.dispatcher.requestAgent(c.tenantId, agent);
      if (changes.assigneeId) this.dispatcher.requestAgent(c.tenantId, changes.assigneeId);
      if (c.routingState === 'queued') this.dispatcher.requestSkill(c.tenantId, c.skillId);
    });
    return out;
  }

  // A case that should be in routing and is not (a customer reopened it): routed again (after
  // commit of the inbound message, or by the sweeper).
  async ensureRouted(tenantId: string, caseId: string): Promise<void> {
    let queuedSkill: string | null = null;
    await this.events.transaction(async (m, events) => {
      const c = await m
        .createQueryBuilder(CaseEntity, 'c')
        .where(`c.tenant_id = :tenantId AND c.id = :caseId AND c.routing_state IS NULL AND c.skill_id IS NOT NULL AND c.status NOT IN ('resolved', 'closed')`, { tenantId, caseId })
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getOne();
      if (!c) return;
      const former = { skillId: c.skillId, assigneeId: c.assigneeId };
      const changes = { ...(await this.route(m, c, new Date())), resolvedAt: null, updatedAt: new Date() };
      Object.assign(c, changes);
      await m.update(CaseEntity, { id: c.id }, changes);
      this.cases.recordCaseEvent(events, 'case.updated', c, await this.cases.view(m, c), former);
      if (c.routingState === 'queued') queuedSkill = c.skillId;
    });
    this.dispatcher.requestSkill(tenantId, queuedSkill);
  }

  async routeUnrouted(): Promise<void> {
    const rows: Array<{ id: string; tenant_id: string }> = await this.db.query(
      `SELECT id, tenant_id FROM cases WHERE routing_state IS NULL AND skill_id IS NOT NULL AND status NOT IN ('resolved', 'closed') LIMIT 100`,
    );
    for (const r of rows) await this.ensureRouted(r.tenant_id, r.id);
  }

  // The agent went offline: their pending offers go back to the queue at once.
  async withdrawOffersOf(tenantId: string, userId: string): Promise<void> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM cases WHERE tenant_id = $1 AND offered_to = $2 AND routing_state = 'offered'`, [tenantId, userId]);
    for (const { id } of rows) {
      let skillId: string | null = null;
      await this.events.transaction(async (m, events) => {
        const c = await m.findOne(CaseEntity, { where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
        if (!c || c.routingState !== 'offered' || c.offeredTo !== userId) return;
        await this.routing.lockAgent(m, tenantId, userId);
        const { changes } = await this.routing.withdrawOffer(m, c, false);
        const now = new Date();
        c.updatedAt = now;
        await m.update(CaseEntity, { id }, { ...changes, updatedAt: now });
        this.cases.recordCaseEvent(events, 'case.updated', c, await this.cases.view(m, c), { skillId: c.skillId, assigneeId: null });
        skillId = c.skillId;
      });
      this.dispatcher.requestSkill(tenantId, skillId);
    }
  }

  // Back to the agent who had it when they are available and have room (continuity), else to
  // the queue.
  private async route(m: EntityManager, c: CaseEntity, now: Date): Promise<Partial<CaseEntity>> {
    if (c.assigneeId) {
      const agent = await this.routing.lockAgent(m, c.tenantId, c.assigneeId);
      if (agent.state === 'available' && (await this.routing.tryReserve(m, c, agent.userId))) return this.routing.assign(m, c, agent.userId, 'reopen', null, now);
    }
    return this.routing.queue(c, { at: now });
  }

  // Locks the case, checks it is visible and open, applies `fn`'s change and announces it; work
  // registered with afterCommit runs once committed.
  // Several instances act on one case at once (an agent's accept while a sweeper withdraws the
  // offer, two picks, a transfer): the loser of a race PostgreSQL settles by aborting it runs
  // again and then answers from what the winner committed (409 when it took the case). Still
  // losing after that is a conflict too, never a 500.
  private async change(access: CaseAccess, caseId: string, fn: Change): Promise<CaseView> {
    let tasks: Array<() => void> = [];
    let view: CaseView;
    try {
      view = await retryTransaction(
        () => {
          tasks = [];
          return this.events.transaction((m, events) => this.applyChange(m, events, access, caseId, fn, (task) => tasks.push(task)));
        },
        { retryable: takenMeanwhile },
      );
    } catch (error) {
      if (isConcurrencyFailure(error) || takenMeanwhile(error)) throw new DomainError('CONFLICT', 'The case changed at the same time; reload it and try again');
      throw error;
    }
    for (const task of tasks) task();
    return view;
  }

  private async applyChange(m: EntityManager, events: EventBatch, access: CaseAccess, caseId: string, fn: Change, afterCommit: (task: () => void) => void): Promise<CaseView> {
    const c = await m.findOne(CaseEntity, { where: { tenantId: access.user.tenantId, id: caseId }, lock: { mode: 'pessimistic_write' } });
    if (!c) throw new NotFoundError('Case');
    if (!canSee(access, c)) {
      // Taken by someone else from a queue this agent works (a pick that lost the race, an
      // offer already withdrawn and given away): a conflict, not a stranger's case.
      if (c.skillId && access.skillIds.includes(c.skillId)) throw new DomainError('CONFLICT', 'Someone else already has this case');
      throw new NotFoundError('Case');
    }
    if (c.status === 'closed') throw new DomainError('INVALID_TRANSITION', 'A closed case cannot change');
    const former = { skillId: c.skillId, assigneeId: c.assigneeId };
    const changes = await fn(m, c, events, afterCommit);
    const now = new Date();
    c.updatedAt = now;
    await m.update(CaseEntity, { id: c.id }, { ...changes, updatedAt: now });
    const result = await this.cases.view(m, c);
    this.cases.recordCaseEvent(events, 'case.updated', c, result, former);
    return result;
  }
}

// Another transaction opened the case's assignment first (the open one is unique per case).
function takenMeanwhile(error: unknown): boolean {
  return isUniqueViolation(error, 'uq_case_assignments_open');
}

function apply(c: CaseEntity, changes: Partial<CaseEntity>): Partial<CaseEntity> {
  Object.assign(c, changes);
  return changes;
}
