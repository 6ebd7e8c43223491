import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { CasesService } from '../cases/cases.service';
import { EventsService } from '../events/events.service';
import { AgentStateService } from './agent-state.service';
import { CaseRoutingService } from './case-routing.service';
import { DispatcherService } from './dispatcher.service';
import { NO_ANSWER } from './idle-reasons.service';

const BATCH = 100;

// Redirection on no answer (RONA): an offer past its `offer_expires_at` goes back to the queue
// (keeping its place, the silent agent tried last) and the agent becomes unavailable with reason
// `no_answer`. The deadline is stored with the offer, so it survives restarts; expired offers
// are claimed with SKIP LOCKED, so several instances sweep without doing one twice.
@Injectable()
export class OfferSweeperService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventsService,
    private readonly cases: CasesService,
    private readonly routing: CaseRoutingService,
    private readonly agents: AgentStateService,
    private readonly dispatcher: DispatcherService,
  ) {}

  async expireOffers(): Promise<number> {
    const due: Array<{ id: string }> = await this.db.query(`SELECT id FROM cases WHERE routing_state = 'offered' AND offer_expires_at <= now() ORDER BY offer_expires_at LIMIT ${BATCH}`);
    let expired = 0;
    for (const { id } of due) if (await this.expire(id)) expired++;
    return expired;
  }

  private async expire(caseId: string): Promise<boolean> {
    const outcome = await this.events.transaction(async (m, events) => {
      const c = await m
        .createQueryBuilder(CaseEntity, 'c')
        .where(`c.id = :caseId AND c.routing_state = 'offered' AND c.offer_expires_at <= now()`, { caseId })
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getOne();
      if (!c) return null;
      // The offered user may have been deleted since (the foreign key cleared offered_to).
      const agent = c.offeredTo ? await this.routing.lockAgent(m, c.tenantId, c.offeredTo) : null;
      const { changes } = await this.routing.withdrawOffer(m, c, true);
      const now = new Date();
      c.updatedAt = now;
      await m.update(CaseEntity, { id: c.id }, { ...changes, updatedAt: now });
      this.cases.recordCaseEvent(events, 'case.updated', c, await this.cases.view(m, c), { skillId: c.skillId, assigneeId: null });
      if (agent?.state === 'available') await this.agents.apply(m, events, agent, 'unavailable', NO_ANSWER, 'system');
      return { tenantId: c.tenantId, skillId: c.skillId };
    });
    if (outcome) this.dispatcher.requestSkill(outcome.tenantId, outcome.skillId);
    return outcome !== null;
  }
}
