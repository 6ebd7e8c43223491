import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CaseHooks } from '../cases/case-hooks';
import type { CaseView } from '../cases/case-view';
import { EventPublisher } from '../events/event-publisher';
import type { StoredEvent } from '../events/events.service';
import type { MessageView } from '../messages/message-view';
import { AgentsGateway } from '../realtime/agents.gateway';
import { UserChanges } from '../users/user-changes';
import { AgentStateService } from './agent-state.service';
import { AssignmentService } from './assignment.service';
import { BusinessHoursService } from './business-hours.service';
import { DispatcherService } from './dispatcher.service';
import { SlaService } from './sla.service';

// Where routing plugs into the core, without the core knowing routing:
// - inside the core's transactions (CaseHooks): PATCH /cases/:id keeps capacity, assignments
//   and SLA right; an agent's reply stops SLA clocks;
// - after commit (EventPublisher): a new case is dispatched and its SLA clocks start; a customer
//   message starts the next-response clock, may get the out-of-hours reply, and may reopen a
//   resolved case into routing;
// - user changes (skills, capacity) and socket presence.
// The after-commit reactions are in-process: the sweeper redoes from the database whatever a
// crash between commit and reaction left undone.
@Injectable()
export class RoutingListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Routing');
  // Shutting down: sockets closing now say nothing about the agents (they reconnect elsewhere).
  private stopping = false;

  constructor(
    private readonly hooks: CaseHooks,
    private readonly publisher: EventPublisher,
    private readonly userChanges: UserChanges,
    private readonly gateway: AgentsGateway,
    private readonly dispatcher: DispatcherService,
    private readonly assignments: AssignmentService,
    private readonly agents: AgentStateService,
    private readonly sla: SlaService,
    private readonly businessHours: BusinessHoursService,
  ) {}

  onModuleInit(): void {
    this.hooks.register({
      beforeUpdate: (context) => this.assignments.beforeCaseUpdate(context),
      onAgentReply: async ({ case: c, message }) => this.sla.onAgentReply(c, new Date(message.createdAt)),
    });
    this.publisher.subscribe((events) => this.react(events));
    this.userChanges.subscribe(({ tenantId, userId }) => this.dispatcher.requestAgent(tenantId, userId));
    this.gateway.onPresence(({ user, connected }) => {
      if (!this.stopping) this.run(connected ? this.agents.connected(user) : this.agents.disconnected(user), 'presence');
    });
  }

  onModuleDestroy(): void {
    this.stopping = true;
  }

  private react(events: StoredEvent[]): void {
    if (this.stopping) return;
    const cases = new Map<string, CaseView>();
    for (const e of events) if (e.type === 'case.created' || e.type === 'case.updated') cases.set((e.data as CaseView).id, e.data as CaseView);
    const created = new Map<string, Array<{ id: string; skillId: string | null }>>();
    for (const e of events) {
      if (e.type === 'case.created') {
        // A new case is queued by its INSERT (column defaults): dispatch its skill.
        const c = e.data as CaseView;
        this.dispatcher.requestSkill(e.tenantId, c.skillId);
        created.set(e.tenantId, [...(created.get(e.tenantId) ?? []), { id: c.id, skillId: c.skillId }]);
      } else if (e.type === 'case.updated') {
        const c = e.data as CaseView;
        if (c.routing?.state === null && c.skillId && c.status !== 'resolved' && c.status !== 'closed') this.run(this.assignments.ensureRouted(e.tenantId, c.id), 'reroute');
      } else if (e.type === 'message.created') {
        const { caseId, message } = e.data as { caseId: string; message: MessageView };
        // An auto-reply or a bounce is nobody waiting for an answer.
        if (message.direction !== 'inbound' || message.automated) continue;
        this.run(this.sla.customerWrote(e.tenantId, caseId, new Date(message.createdAt), cases.get(caseId)), 'sla next response');
        this.run(this.businessHours.afterCustomerMessage(e.tenantId, caseId, e.skillId, message), 'out-of-hours reply');
      }
    }
    for (const [tenantId, list] of created) this.run(this.sla.startMany(tenantId, list), 'sla start');
  }

  private run(work: Promise<unknown>, what: string): void {
    work.catch((error: unknown) => this.logger.warn({ err: error }, `${what} failed`));
  }
}
