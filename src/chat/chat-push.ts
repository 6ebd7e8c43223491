import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { ProviderError, type VisitorConnections } from '../../channels/channel-adapter.port';
import { visitorRoom } from './chat-rooms';
import { toVisitorMessage } from './visitor-message';
import { VisitorMessagesRepository } from './visitor-messages.repository';

export interface AgentTyping {
  typing: boolean;
  name: string | null;
}

// Server → visitor pushes over the /chat namespace. The chat adapter delivers replies through
// it; the agents' typing indicator goes through it too. The namespace is attached by the
// gateway when socket.io starts.
@Injectable()
export class ChatPush implements VisitorConnections {
  private namespace: Namespace | null = null;

  constructor(private readonly messages: VisitorMessagesRepository) {}

  attach(namespace: Namespace): void {
    this.namespace = namespace;
  }

  async push(channelId: string, visitor: string, messageId: string): Promise<void> {
    const namespace = this.started();
    const row = await this.messages.one(messageId);
    // Never push a note, nor a message to anyone but its own case's visitor.
    if (!row || row.internal || row.channel_id !== channelId || row.visitor !== visitor) {
      throw new ProviderError('permanent', `Message ${messageId} does not belong to this visitor`);
    }
    namespace.to(visitorRoom(channelId, visitor)).emit('message.created', { message: toVisitorMessage(row) });
  }

  typing(channelId: string, visitor: string, typing: AgentTyping): void {
    this.started().to(visitorRoom(channelId, visitor)).emit('typing', { typing: typing.typing, author: { type: 'agent', name: typing.name } });
  }

  private started(): Namespace {
    if (!this.namespace) throw new Error('The /chat namespace is not started');
    return this.namespace;
  }
}
