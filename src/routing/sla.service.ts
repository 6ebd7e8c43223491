import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import type { CaseView } from '../cases/case-view';
import { CasesService } from '../cases/cases.service';
import { returnedRows } from '../database/pg-errors';
import { EventsService } from '../events/events.service';
import { clocksOnAgentReply, clocksOnResolved, nextResponseClock, slaDue } from './sla-policy';
import { SkillRoutingService } from './skill-routing.service';

const BATCH = 100;

// SLA clocks per case from its skill's targets: first response (from creation, satisfied by an
// agent's first reply to the customer), next response (from the customer's first message after
// our reply, satisfied by the next reply) and resolution (from creation, satisfied by resolved
// or closed). A clock past due without its answer is a breach, stamped with the due time and
// announced as `case.updated` (by the sweeper, or by the late answer itself).
@Injectable()
export class SlaService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventsService,
    private readonly cases: CasesService,
    private readonly skills: SkillRoutingService,
  ) {}

  // Due dates from the case's current skill and priority, for the clocks still running.
  async dueDates(m: EntityManager, c: CaseEntity): Promise<Partial<CaseEntity>> {
    if (!c.skillId) return { slaPending: false, firstResponseDueAt: null, resolutionDueAt: null, nextResponseDueAt: null };
    const config = await this.skills.config(c.tenantId, c.skillId, m);
    const due = (metric: Parameters<typeof slaDue>[3], start: Date) => slaDue(config.sla, config.businessHours, c.priority, metric, start);
    const created = new Date(c.createdAt);
    return {
      slaPending: false,
      firstResponseDueAt: c.firstRespondedAt ? c.firstResponseDueAt : due('firstResponseSeconds', created),
      resolutionDueAt: c.resolvedAt ? c.resolutionDueAt : due('resolutionSeconds', created),
      nextResponseDueAt: c.nextResponseSince ? due('nextResponseSeconds', new Date(c.nextResponseSince)) : c.nextResponseDueAt,
    };
  }

  // An agent's reply to the customer, inside the reply's transaction.
  onAgentReply(c: CaseEntity, at: Date): Partial<CaseEntity> {
    return clocksOnAgentReply(c, at);
  }

  onResolved(c: CaseEntity, at: Date): Partial<CaseEntity> {
    return clocksOnResolved(c, at);
  }

  // Starts the clocks of a new case (after its creation committed; the sweeper catches up on
  // any it missed). Announced only when a clock actually started.
  async start(tenantId: string, caseId: string, skillId?: string | null): Promise<void> {
    if (skillId !== undefined) {
      const config = skillId ? await this.skills.cached(tenantId, skillId) : null;
      // The common case, no targets: one statement, no transaction.
      if (!config?.sla.length) {
        await this.db.query('UPDATE cases SET sla_pending = false WHERE id = $1 AND skill_id IS NOT DISTINCT FROM $2 AND sla_pending', [caseId, skillId]);
        return;
      }
    }
    await this.events.transaction(async (m, events) => {
      const c = await m
        .createQueryBuilder(CaseEntity, 'c')
        .where('c.tenant_id = :tenantId AND c.id = :caseId AND c.sla_pending', { tenantId, caseId })
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getOne();
      if (!c) return;
      const changes = await this.dueDates(m, c);
      Object.assign(c, changes);
      await m.update(CaseEntity, { id: c.id }, changes);
      if (c.firstResponseDueAt || c.resolutionDueAt) this.cases.recordCaseEvent(events, 'case.updated', c, await this.cases.view(m, c));
    });
  }

  // The new cases of one commit (an inbound batch opens many): those of skills without SLA
  // targets are cleared in one statement, the others started one by one.
  async startMany(tenantId: string, cases: Array<{ id: string; skillId: string | null }>): Promise<void> {
    const plain: string[] = [];
    for (const c of cases) {
      const config = c.skillId ? await this.skills.cached(tenantId, c.skillId) : null;
      if (config?.sla.length) await this.start(tenantId, c.id, c.skillId);
      else plain.push(c.id);
    }
    if (plain.length > 0) await this.db.query('UPDATE cases SET sla_pending = false WHERE id = ANY($1::uuid[]) AND sla_pending', [plain]);
  }

  async startPending(): Promise<void> {
    const rows: Array<{ id: string; tenant_id: string }> = await this.db.query(`SELECT id, tenant_id FROM cases WHERE sla_pending ORDER BY created_at LIMIT ${BATCH}`);
    for (const r of rows) await this.start(r.tenant_id, r.id);
  }

  // A customer message: starts the next-response clock when we had answered and this is the
  // first message since (after commit of the inbound message). `view`: the case as the same
  // commit announced it, to skip the transaction when no clock can start.
  async customerWrote(tenantId: string, caseId: string, at: Date, view?: CaseView): Promise<void> {
    if (view?.sla) {
      if (!view.skillId || !view.sla.firstRespondedAt || view.sla.nextResponseDueAt) return;
      const config = await this.skills.cached(tenantId, view.skillId);
      if (!config.sla.some((t) => t.nextResponseSeconds)) return;
    }
    await this.events.transaction(async (m, events) => {
      const c = await m.findOne(CaseEntity, { where: { tenantId, id: caseId }, lock: { mode: 'pessimistic_write' } });
      if (!c || !c.skillId || c.status === 'closed') return;
      const config = await this.skills.config(tenantId, c.skillId, m);
      const changes = nextResponseClock(c, at, (start) => slaDue(config.sla, config.businessHours, c.priority, 'nextResponseSeconds', start));
      if (!changes) return;
      const visibleChange = changes.nextResponseDueAt !== null || c.nextResponseBreachedAt !== null;
      Object.assign(c, changes);
      await m.update(CaseEntity, { id: c.id }, changes);
      if (visibleChange) this.cases.recordCaseEvent(events, 'case.updated', c, await this.cases.view(m, c));
    });
  }

  // Clocks past due without their answer. Each UPDATE claims its rows with SKIP LOCKED and
  // stamps only unstamped ones, so one instance announces each breach once.
  async sweepBreaches(): Promise<number> {
    return this.events.transaction(async (m, events) => {
      const breached = new Set<string>();
      const stamp = async (column: string, due: string, pending: string) => {
        const rows = returnedRows<{ id: string }>(
          await m.query(
            `UPDATE cases SET ${column} = ${due}, updated_at = now()
              WHERE id IN (SELECT id FROM cases WHERE ${due} <= now() AND ${pending} AND ${column} IS NULL AND status NOT IN ('resolved', 'closed')
                           ORDER BY ${due} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
              RETURNING id`,
          ),
        );
        for (const r of rows) breached.add(r.id);
      };
      await stamp('first_response_breached_at', 'first_response_due_at', 'first_responded_at IS NULL');
      await stamp('next_response_breached_at', 'next_response_due_at', 'next_response_since IS NOT NULL');
      await stamp('resolution_breached_at', 'resolution_due_at', 'resolved_at IS NULL');
      if (breached.size === 0) return 0;
      for (const c of await m.findBy(CaseEntity, { id: In([...breached]) })) this.cases.recordCaseEvent(events, 'case.updated', c, await this.cases.view(m, c));
      return breached.size;
    });
  }
}
