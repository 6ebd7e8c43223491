import type { ZodType } from 'zod';
import type { Content } from '../src/content/content.schema';
import type { ChannelCapabilities } from '../src/content/capabilities.types';

// The one port every channel adapter implements. An adapter translates between a provider's
// wire format and Parley's normalised events; it never touches the database and keeps no
// per-tenant state: everything it needs arrives in the ChannelContext of each call.

export const CHANNEL_KINDS = ['sms', 'whatsapp', 'telegram', 'slack', 'teams', 'email', 'chat', 'byoc'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface ChannelContext<C = Record<string, unknown>> {
  channelId: string;
  // `{PUBLIC_URL}/webhooks/{channelId}`: providers that sign the URL (Twilio) sign this one.
  webhookUrl: string;
  // Decrypted config, secrets included. Never log it.
  config: C;
  // Customers connected to Parley itself (the web chat widget): provided by the core.
  visitors?: VisitorConnections;
  // Parley's durable media storage, bound to the channel's tenant. Provider media ids and
  // download URLs expire, so prepare() copies media here while the webhook is in hand. Absent
  // where no storage is wired (mapper unit tests): adapters then keep the provider's reference.
  media?: MediaSink;
  // The connection Parley holds open for providers without an HTTP API (whatsapp-web.js drives
  // a browser session), looked up at each call because it may restart; undefined when none runs
  // in this process. Its owner registers it (src/channels/channel-sessions.registry.ts).
  session?: () => unknown;
}

// The core's side of a channel whose customers connect to Parley directly instead of through a
// provider (the web chat widget over socket.io /chat). Its adapter delivers through this.
export interface VisitorConnections {
  // Pushes the stored message to every open connection of the visitor (`to.address`), on every
  // Parley instance. A visitor with no open connection gets it with the history on reconnect.
  push(channelId: string, visitor: string, messageId: string): Promise<void>;
}

export interface MediaInput {
  data: Buffer;
  contentType: string;
  name?: string;
}

export interface StoredMedia {
  // Public, unguessable and stable: providers (outbound media) and the web chat widget fetch it.
  url: string;
  contentType: string;
  name?: string;
  size: number;
}

export interface MediaSink {
  // Throws DomainError PAYLOAD_TOO_LARGE above MEDIA_MAX_BYTES.
  save(input: MediaInput): Promise<StoredMedia>;
}

export interface WebhookRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | string[] | undefined>;
  // The exact bytes received: signatures are computed over them, never over re-serialised JSON.
  rawBody: Buffer;
}

export interface InboundSender {
  // The channel-specific address: phone number, Telegram chat id, Slack user, BYOC user id…
  address: string;
  name?: string;
  email?: string;
  phone?: string;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export type InboundEvent =
  | {
      kind: 'message';
      // Dedupe key: unique per channel.
      providerMessageId: string;
      // Threaded sources (BYOC threadId, email thread, Slack thread) keep one case per thread.
      threadKey?: string;
      from: InboundSender;
      // The provider's timestamp (reply windows are measured from it).
      timestamp: Date;
      content: Content;
      // An SMS opt-out keyword (STOP…) or opt-in keyword (START…): the core records it per
      // (channel, address) and refuses agent replies while opted out.
      consent?: 'opted_out' | 'opted_in';
      // The subject the customer gave (email): becomes the subject of a case it opens.
      subject?: string;
      // Written by a machine (an auto-reply, a bounce, bulk mail): stored and shown, marked on
      // the message, never answered automatically, and it does not reopen a case.
      automated?: boolean;
    }
  | {
      kind: 'status';
      // Parley's own message id (BYOC) or the provider's id returned at send time.
      messageId?: string;
      externalId?: string;
      status: DeliveryStatus;
      error?: string;
    };

export interface WebhookReply {
  status: number;
  body: string;
  contentType?: string;
}

export interface WebhookResult {
  events: InboundEvent[];
  // A reply the provider expects instead of our default acknowledgement (Meta's hub.challenge,
  // Slack's url_verification).
  reply?: WebhookReply;
}

// What the core made of each event, in order.
export type IngestOutcome =
  | { kind: 'message'; id: string; caseId: string; duplicate: boolean }
  | { kind: 'status'; messageId: string | null; applied: boolean };

export interface OutboundMessage {
  messageId: string;
  caseId: string;
  threadKey: string | null;
  to: InboundSender;
  // Already degraded to what the channel renders (see src/content).
  rendered: Content;
  // Only for adapters that set `threadsByReference`: the case subject (null when it has none)…
  subject?: string | null;
  // …and the provider ids of the case's earlier messages, oldest first: inbound ones as
  // received, outbound ones as the provider returned them.
  history?: ThreadEntry[];
  // A send that the provider takes as several messages (long text split, text then media…) is
  // resumed, not repeated: the provider ids of the parts accepted on earlier attempts, in order.
  // send() starts at part `sentParts.length`. Absent: nothing was sent yet.
  sentParts?: readonly string[];
  // Called once a part is accepted, before the next is attempted; the core stores it durably.
  // Only multi-part sends call it (see sendInParts). A rejection fails the attempt like a
  // temporary provider error.
  onPartSent?: (index: number, externalId: string) => Promise<void>;
}

export interface ThreadEntry {
  direction: 'inbound' | 'outbound';
  providerId: string;
}

export interface SendResult {
  // The first part's id for a multi-part send: status callbacks for the message report on it.
  externalId: string;
}

// Provider failures, classified so that the core knows what to do: retry, mark the channel as
// needing attention, or fail the message with the provider's reason.
export type ProviderErrorClass = 'temporary' | 'rate_limited' | 'auth_revoked' | 'invalid_recipient' | 'permanent';

export class ProviderError extends Error {
  constructor(
    readonly errorClass: ProviderErrorClass,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return this.errorClass === 'temporary' || this.errorClass === 'rate_limited';
  }
}

// Thrown by verify(): 401, nothing stored.
export class SignatureError extends Error {
  constructor(message = 'Invalid signature') {
    super(message);
    this.name = 'SignatureError';
  }
}

// Thrown by parse(): 400, nothing stored.
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

// What every channel kind declares as data: its config schema, which fields are secret, and
// what it renders. All eight kinds have one, so admins can configure any of them.
export interface ChannelDefinition<C = Record<string, unknown>> {
  readonly kind: ChannelKind;
  // Validates `config` on create/patch; errors name the field.
  readonly configSchema: ZodType<C>;
  // Dotted paths of the config fields that are secret: encrypted at rest, shown as "***".
  readonly secretFields: readonly string[];
  capabilities(config: C): ChannelCapabilities;
}

// What every kind that can deliver an agent's reply implements (web chat delivers over its own
// socket and has nothing else).
export interface ChannelSender<C = Record<string, unknown>> extends ChannelDefinition<C> {
  // Throws ProviderError.
  send(message: OutboundMessage, context: ChannelContext<C>): Promise<SendResult>;
  // Replies are threaded by the ids of earlier messages (email In-Reply-To/References): the core
  // passes `subject` and `history` with every send.
  readonly threadsByReference?: boolean;
}

// The runtime half of a provider channel: it sends messages and, when it has verify and parse,
// receives webhooks. Kinds whose mail arrives another way (email: the SMTP listener and IMAP)
// leave both out, and their webhook URL answers 404.
export interface ChannelAdapter<C = Record<string, unknown>> extends ChannelSender<C> {
  // Throws SignatureError. Runs before any parsing of the body. May be async (Bot Framework
  // fetches its signing keys).
  verify?(request: WebhookRequest, context: ChannelContext<C>): void | Promise<void>;
  // Throws PayloadError.
  parse?(request: WebhookRequest, context: ChannelContext<C>): WebhookResult | Promise<WebhookResult>;
  // Optional step between parse and storage for what needs the provider's API: media whose ids
  // expire must be fetched now (WhatsApp). Throws ProviderError; a temporary one answers 503 so
  // the provider retries.
  prepare?(events: InboundEvent[], context: ChannelContext<C>): Promise<InboundEvent[]>;
  // The answer the provider expects once the events are stored (Twilio wants TwiML). The context
  // says which channel, hence which provider, is answered; without a reply the core answers 200
  // JSON.
  acknowledge?(outcomes: readonly IngestOutcome[], context: ChannelContext<C>): WebhookReply | undefined;
  // After the acknowledgement, off the request path (Telegram's answerCallbackQuery). Failures
  // are logged, never retried.
  afterStored?(request: WebhookRequest, context: ChannelContext<C>, outcomes: readonly IngestOutcome[]): Promise<void>;
  // After a channel is created or its config changed (Telegram's setWebhook). A failure marks
  // the channel as needing attention.
  onConfigured?(context: ChannelContext<C>): Promise<void>;
}

// An adapter that receives webhooks.
export type WebhookChannelAdapter<C = Record<string, unknown>> = ChannelAdapter<C> & Required<Pick<ChannelAdapter<C>, 'verify' | 'parse'>>;

export function receivesWebhooks<C>(adapter: ChannelAdapter<C>): adapter is WebhookChannelAdapter<C> {
  return adapter.verify !== undefined && adapter.parse !== undefined;
}
