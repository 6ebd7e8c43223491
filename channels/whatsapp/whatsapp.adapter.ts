import {
  PayloadError,
  ProviderError,
  type ChannelAdapter,
  type ChannelContext,
  type ChannelKind,
  type InboundEvent,
  type IngestOutcome,
  type OutboundMessage,
  type SendResult,
  type WebhookReply,
  type WebhookRequest,
  type WebhookResult,
} from '../channel-adapter.port';
import { TwilioMessaging, type TwilioMessagingOptions } from '../sms/twilio-messaging';
import { WwebjsSession } from './web/wwebjs-session';
import { WhatsappCloudAdapter, type WhatsappCloudOptions } from './whatsapp-cloud.adapter';
import { whatsappDefinition, type WhatsappCloudConfig, type WhatsappConfig, type WhatsappTwilioConfig } from './whatsapp.config';

// One channel kind, three providers (API.md §4): the config's `provider` picks the code path on
// every call, so one stateless instance serves all WhatsApp channels.
export class WhatsappAdapter implements ChannelAdapter<WhatsappConfig> {
  readonly kind: ChannelKind = 'whatsapp';
  readonly configSchema = whatsappDefinition.configSchema;
  readonly secretFields = whatsappDefinition.secretFields;
  readonly capabilities = whatsappDefinition.capabilities;
  private readonly cloud: WhatsappCloudAdapter;
  // WhatsApp via Twilio: same webhook and API as SMS, `whatsapp:` addresses, no STOP keywords
  // (WhatsApp users block a business in the app instead).
  private readonly twilio: TwilioMessaging;

  constructor(options: { cloud?: WhatsappCloudOptions; twilio?: Partial<TwilioMessagingOptions> } = {}) {
    this.cloud = new WhatsappCloudAdapter(options.cloud);
    this.twilio = new TwilioMessaging({ keywords: false, maxBodyLength: 1600, ...options.twilio });
  }

  verify(request: WebhookRequest, context: ChannelContext<WhatsappConfig>): void {
    const cloud = asCloud(context);
    if (cloud) return this.cloud.verify(request, cloud);
    const twilio = asTwilio(context);
    if (twilio) return this.twilio.verify(request, twilio);
    // whatsapp-web.js sessions receive nothing over HTTP: their messages come from the session
    // (src/wwebjs), and parse() refuses whatever is posted here.
  }

  parse(request: WebhookRequest, context: ChannelContext<WhatsappConfig>): WebhookResult {
    const cloud = asCloud(context);
    if (cloud) return this.cloud.parse(request, cloud);
    if (asTwilio(context)) return this.twilio.parse(request);
    throw new PayloadError('whatsapp-web.js sessions do not receive webhooks');
  }

  async prepare(events: InboundEvent[], context: ChannelContext<WhatsappConfig>): Promise<InboundEvent[]> {
    const cloud = asCloud(context);
    if (cloud) return this.cloud.prepare(events, cloud);
    const twilio = asTwilio(context);
    return twilio ? this.twilio.prepare(events, twilio) : events;
  }

  // Twilio expects TwiML (empty: replies go through the REST API); Meta only looks at the 200,
  // so Cloud notifications get the core's plain JSON acknowledgement.
  acknowledge(_outcomes: readonly IngestOutcome[], context: ChannelContext<WhatsappConfig>): WebhookReply | undefined {
    return asTwilio(context) ? this.twilio.acknowledge() : undefined;
  }

  async send(message: OutboundMessage, context: ChannelContext<WhatsappConfig>): Promise<SendResult> {
    const cloud = asCloud(context);
    if (cloud) return this.cloud.send(message, cloud);
    const twilio = asTwilio(context);
    if (twilio) return this.twilio.send(message, twilio);
    // whatsapp-web.js: the session owner (src/wwebjs) registers the channel's running session.
    const session = context.session?.();
    if (session instanceof WwebjsSession) return session.send(message);
    throw new ProviderError('temporary', 'No WhatsApp Web session runs for this channel in this process (WWEBJS_ENABLED)');
  }
}

function asCloud(context: ChannelContext<WhatsappConfig>): ChannelContext<WhatsappCloudConfig> | undefined {
  const { config } = context;
  return config.provider === 'cloud' ? { ...context, config } : undefined;
}

function asTwilio(context: ChannelContext<WhatsappConfig>): ChannelContext<WhatsappTwilioConfig> | undefined {
  const { config } = context;
  return config.provider === 'twilio' ? { ...context, config } : undefined;
}
