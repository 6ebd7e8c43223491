import {
  ProviderError,
  type ChannelContext,
  type ChannelKind,
  type ChannelSender,
  type OutboundMessage,
  type SendResult,
} from '../channel-adapter.port';
import { chatDefinition, type ChatConfig } from './chat.config';

// The web chat: visitors are connected to Parley itself (socket.io /chat), so a reply is
// delivered through the core's visitor connections rather than a provider API. Inbound messages
// never come as webhooks; the /chat gateway hands them to the inbound pipeline.
export class ChatAdapter implements ChannelSender<ChatConfig> {
  readonly kind: ChannelKind = 'chat';
  readonly configSchema = chatDefinition.configSchema;
  readonly secretFields = chatDefinition.secretFields;

  capabilities(config: ChatConfig) {
    return chatDefinition.capabilities(config);
  }

  async send(message: OutboundMessage, context: ChannelContext<ChatConfig>): Promise<SendResult> {
    // Only reachable if the core forgot to wire the transport: retrying will not help.
    if (!context.visitors) throw new ProviderError('permanent', 'Web chat delivery is not available in this process');
    try {
      await context.visitors.push(context.channelId, message.to.address, message.messageId);
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      // The push goes through socket.io (and Redis with several instances): a failure is a
      // transport hiccup worth retrying.
      throw new ProviderError('temporary', error instanceof Error ? error.message : String(error));
    }
    // Our own id: the widget acknowledges delivery and reading by it.
    return { externalId: message.messageId };
  }
}
