import { Global, Module } from '@nestjs/common';
import { InboxModule } from '../inbox.module';
import { AgentTypingGateway } from './agent-typing.gateway';
import { ChatPush } from './chat-push';
import { ChatController } from './chat.controller';
import { ChatGateway } from './chat.gateway';
import { ChatService } from './chat.service';
import { ChatUploadsService } from './chat-uploads.service';
import { VISITOR_CONNECTIONS } from './visitor-connections.token';
import { VisitorMessagesRepository } from './visitor-messages.repository';
import { VisitorTokenService } from './visitor-token.service';
import { WidgetController } from './widget.controller';

// The web chat channel (API.md §9): visitor sessions, the /chat namespace, the widget. Global so
// that channel contexts (ChannelsService) can carry the visitor connections the chat adapter
// delivers through.
@Global()
@Module({
  imports: [InboxModule],
  controllers: [ChatController, WidgetController],
  providers: [
    ChatService,
    ChatUploadsService,
    ChatGateway,
    AgentTypingGateway,
    ChatPush,
    { provide: VISITOR_CONNECTIONS, useExisting: ChatPush },
    VisitorMessagesRepository,
    VisitorTokenService,
  ],
  exports: [VISITOR_CONNECTIONS, ChatService, ChatUploadsService],
})
export class ChatModule {}
