import { Module } from '@nestjs/common';
import { CaseHooks } from './cases/case-hooks';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { ContactsService } from './contacts/contacts.service';
import { EventPublisher } from './events/event-publisher';
import { EventsController } from './events/events.controller';
import { EventsRetentionService } from './events/events-retention.service';
import { EventsService } from './events/events.service';
import { NoticePublisher } from './events/notice-publisher';
import { InboundBatchStore } from './inbound/inbound-batch.store';
import { InboundService } from './inbound/inbound.service';
import { MessagesService } from './messages/messages.service';
import { OutboundQueue } from './outbound/outbound.queue';
import { AgentsGateway } from './realtime/agents.gateway';
import { WebhookService } from './webhooks/webhook.service';

// Cases, messages, contacts, events, realtime, outbound and webhooks: the inbox core.
@Module({
  controllers: [CasesController, EventsController],
  providers: [
    ContactsService,
    CaseHooks,
    CasesService,
    MessagesService,
    EventPublisher,
    NoticePublisher,
    EventsService,
    EventsRetentionService,
    InboundService,
    InboundBatchStore,
    OutboundQueue,
    AgentsGateway,
    WebhookService,
  ],
  exports: [EventsService, EventPublisher, NoticePublisher, InboundService, CaseHooks, CasesService, MessagesService, WebhookService, AgentsGateway],
})
export class InboxModule {}
