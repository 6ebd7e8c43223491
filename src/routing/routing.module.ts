import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox.module';
import { AgentStateService } from './agent-state.service';
import { AgentsController } from './agents.controller';
import { AssignmentService } from './assignment.service';
import { BusinessHoursService } from './business-hours.service';
import { CapacityService } from './capacity.service';
import { CaseRoutingService } from './case-routing.service';
import { DispatcherService } from './dispatcher.service';
import { IdleReasonsController } from './idle-reasons.controller';
import { IdleReasonsService } from './idle-reasons.service';
import { OfferSweeperService } from './offer-sweeper.service';
import { QueueService } from './queue.service';
import { QueuesController } from './queues.controller';
import { RoutingSettingsController, SkillRoutingController } from './routing-admin.controller';
import { RoutingCasesController } from './routing-cases.controller';
import { RoutingSettingsService } from './routing-settings.service';
import { RoutingSweeperService } from './routing-sweeper.service';
import { RoutingListener } from './routing.listener';
import { SkillRoutingService } from './skill-routing.service';
import { SlaService } from './sla.service';

// Routing: agent states, skills' queues, capacity, push / manual / round-robin assignment with
// offers and no-answer, transfers, business hours and SLA clocks. Plugs into the inbox core
// through CaseHooks and the event publisher (RoutingListener).
@Module({
  imports: [InboxModule],
  controllers: [AgentsController, IdleReasonsController, QueuesController, RoutingCasesController, RoutingSettingsController, SkillRoutingController],
  providers: [
    RoutingSettingsService,
    SkillRoutingService,
    IdleReasonsService,
    CapacityService,
    CaseRoutingService,
    DispatcherService,
    SlaService,
    BusinessHoursService,
    AssignmentService,
    AgentStateService,
    OfferSweeperService,
    QueueService,
    RoutingSweeperService,
    RoutingListener,
  ],
  exports: [AgentStateService, DispatcherService, RoutingSweeperService],
})
export class RoutingModule {}
