import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { DomainError } from '../common/errors';
import { returnedRows } from '../database/pg-errors';
import { AgentEntity } from './agent.entity';
import { CapacityService } from './capacity.service';
import type { AssignmentReason } from './case-assignment.entity';
import { type ChannelFamily, familyOf } from './channel-family';

// The moves of a case through routing, inside the caller's transaction, with the case row
// already locked. Each returns the case columns it changed (and applies them to `c`); the caller
// writes them with the rest of its change.
//
// Lock order, everywhere in routing: the case row, then the agent's `agents` row, then their
// `agent_loads` rows, then (at commit) the tenant's event counter. One order means no deadlock
// between instances or requests.
@Injectable()
export class CaseRoutingService {
  constructor(private readonly capacity: CapacityService) {}

  // The agent's state row, created offline on first use, locked until commit.
  async lockAgent(m: EntityManager, tenantId: string, userId: string): Promise<AgentEntity> {
    await m.query(`INSERT INTO agents (user_id, tenant_id) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`, [userId, tenantId]);
    return m.findOneOrFail(AgentEntity, { where: { userId, tenantId }, lock: { mode: 'pessimistic_write' } });
  }

  // A transaction that moves load between two agents locks both rows first, in id order: two
  // opposite transfers then queue up instead of deadlocking on each other's load rows.
  async lockAgents(m: EntityManager, tenantId: string, userIds: Array<string | null | undefined>): Promise<Map<string, AgentEntity>> {
    const out = new Map<string, AgentEntity>();
    for (const id of [...new Set(userIds.filter((u): u is string => !!u))].sort()) out.set(id, await this.lockAgent(m, tenantId, id));
    return out;
  }

  // Takes capacity for `c` from `agentId` (whose row the caller has locked).
  async tryReserve(m: EntityManager, c: CaseEntity, agentId: string): Promise<boolean> {
    const family = familyOf(c.channelType);
    const capacity = await this.capacity.capacityOf(m, c.tenantId, agentId);
    return this.capacity.reserve(m, c.tenantId, agentId, family, capacity[family]);
  }

  // Same, refusing with 409 AT_CAPACITY.
  async reserveFor(m: EntityManager, c: CaseEntity, agentId: string): Promise<void> {
    if (!(await this.tryReserve(m, c, agentId))) {
      throw new DomainError('AT_CAPACITY', `The agent already holds as many ${familyOf(c.channelType)} cases as their capacity allows`);
    }
  }

  queue(c: CaseEntity, options: { at?: Date; note?: string | null } = {}): Partial<CaseEntity> {
    const changes: Partial<CaseEntity> = {
      routingState: 'queued',
      assigneeId: null,
      queuedAt: options.at ?? c.queuedAt ?? new Date(),
      offeredTo: null,
      offerExpiresAt: null,
      offerReason: null,
    };
    if (options.note !== undefined) changes.routingNote = options.note;
    return apply(c, changes);
  }

  // Capacity already reserved by the caller.
  offer(c: CaseEntity, agentId: string, reason: 'push' | 'round_robin', expiresAt: Date): Partial<CaseEntity> {
    return apply(c, { routingState: 'offered', offeredTo: agentId, offerExpiresAt: expiresAt, offerReason: reason });
  }

  // Capacity already reserved (by the offer being accepted, or by the caller). The open
  // assignment row is unique per case: a second one would fail the transaction.
  async assign(m: EntityManager, c: CaseEntity, agentId: string, reason: AssignmentReason, note: string | null, at = new Date()): Promise<Partial<CaseEntity>> {
    await m.query(
      `INSERT INTO case_assignments (tenant_id, case_id, agent_id, skill_id, family, reason, note, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [c.tenantId, c.id, agentId, c.skillId, familyOf(c.channelType), reason, note, at],
    );
    return apply(c, { routingState: 'assigned', assigneeId: agentId, offeredTo: null, offerExpiresAt: null, offerReason: null, declinedBy: [], routingNote: null });
  }

  // Gives back the capacity of whoever holds the case (its assignee, or the agent it is offered
  // to) and ends the assignment. The assignee stays on the case (who resolved it).
  async release(m: EntityManager, c: CaseEntity, at = new Date()): Promise<{ changes: Partial<CaseEntity>; freed: string | null }> {
    let freed: string | null = null;
    if (c.routingState === 'offered' && c.offeredTo) {
      await this.capacity.release(m, c.offeredTo, familyOf(c.channelType));
      freed = c.offeredTo;
    } else if (c.routingState === 'assigned') {
      const ended = returnedRows<{ agent_id: string; family: ChannelFamily }>(
        await m.query('UPDATE case_assignments SET ended_at = $2 WHERE case_id = $1 AND ended_at IS NULL RETURNING agent_id, family', [c.id, at]),
      );
      const holder = ended[0]?.agent_id ?? c.assigneeId;
      if (holder) await this.capacity.release(m, holder, ended[0]?.family ?? familyOf(c.channelType));
      freed = holder;
    }
    return { changes: apply(c, { routingState: null, offeredTo: null, offerExpiresAt: null, offerReason: null }), freed };
  }

  // Back to the queue from an offer, keeping the case's place. `penalize`: the agent declined or
  // did not answer, so the case is offered to others first.
  async withdrawOffer(m: EntityManager, c: CaseEntity, penalize: boolean): Promise<{ changes: Partial<CaseEntity>; freed: string | null }> {
    const agentId = c.offeredTo;
    const { freed } = await this.release(m, c);
    const changes = this.queue(c);
    const declined = c.declinedBy ?? [];
    if (penalize && agentId && !declined.includes(agentId)) Object.assign(changes, apply(c, { declinedBy: [...declined, agentId] }));
    return { changes, freed };
  }
}

function apply(c: CaseEntity, changes: Partial<CaseEntity>): Partial<CaseEntity> {
  Object.assign(c, changes);
  return changes;
}
