import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox.module';
import { EmailChannelsService } from './email-channels.service';
import { EmailInboundService } from './email-inbound.service';
import { EmailMessagesController } from './email-messages.controller';
import { EmailMessagesService } from './email-messages.service';
import { EmailThreadsRepository } from './email-threads.repository';
import { IMAP_CLIENT_FACTORY, imapFlowClientFactory } from './imap-client';
import { ImapPoller } from './imap-poller.service';
import { ImapStateRepository } from './imap-state.repository';
import { SmtpListener } from './smtp-listener.service';

// Inbound email: the built-in SMTP listener and IMAP polling feed the inbox pipeline; replies
// leave through the email channel adapter (channels/email) like every channel's.
@Module({
  imports: [InboxModule],
  controllers: [EmailMessagesController],
  providers: [
    EmailChannelsService,
    EmailThreadsRepository,
    EmailInboundService,
    EmailMessagesService,
    ImapStateRepository,
    ImapPoller,
    SmtpListener,
    { provide: IMAP_CLIENT_FACTORY, useValue: imapFlowClientFactory },
  ],
  exports: [SmtpListener, EmailInboundService],
})
export class EmailModule {}
