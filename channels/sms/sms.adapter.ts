import type {
  ChannelAdapter,
  ChannelContext,
  ChannelKind,
  InboundEvent,
  OutboundMessage,
  SendResult,
  WebhookReply,
  WebhookRequest,
  WebhookResult,
} from '../channel-adapter.port';
import { smsDefinition, type SmsConfig } from './sms.config';
import { TwilioMessaging, type TwilioMessagingOptions } from './twilio-messaging';

// SMS through Twilio Programmable Messaging. Opt-outs: Twilio's carrier-level STOP handling
// blocks sends itself (error 21610); the keywords are also reported to the core, which refuses
// agent replies to an opted-out number before they are queued.
export class SmsAdapter implements ChannelAdapter<SmsConfig> {
  readonly kind: ChannelKind = 'sms';
  readonly configSchema = smsDefinition.configSchema;
  readonly secretFields = smsDefinition.secretFields;
  readonly capabilities = smsDefinition.capabilities;
  private readonly twilio: TwilioMessaging;

  constructor(options: Partial<TwilioMessagingOptions> = {}) {
    this.twilio = new TwilioMessaging({ keywords: true, maxBodyLength: 1600, ...options });
  }

  verify(request: WebhookRequest, context: ChannelContext<SmsConfig>): void {
    this.twilio.verify(request, context);
  }

  parse(request: WebhookRequest): WebhookResult {
    return this.twilio.parse(request);
  }

  prepare(events: InboundEvent[], context: ChannelContext<SmsConfig>): Promise<InboundEvent[]> {
    return this.twilio.prepare(events, context);
  }

  acknowledge(): WebhookReply {
    return this.twilio.acknowledge();
  }

  send(message: OutboundMessage, context: ChannelContext<SmsConfig>): Promise<SendResult> {
    return this.twilio.send(message, context);
  }
}
