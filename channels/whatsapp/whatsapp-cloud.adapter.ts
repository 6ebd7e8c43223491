import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  ProviderError,
  SignatureError,
  type ChannelContext,
  type InboundEvent,
  type OutboundMessage,
  type SendResult,
  type WebhookRequest,
  type WebhookResult,
} from '../channel-adapter.port';
import { copyAttachments, downloadMedia } from '../media-download';
import { sendInParts } from '../send-in-parts';
import { getHeader } from '../webhook-request.util';
import { graphBase, graphMediaId, parseCloudNotification, toCloudMessages, type CloudSendBody } from './whatsapp-cloud.mapper';
import type { WhatsappCloudConfig } from './whatsapp.config';

// WhatsApp Cloud API (Meta Graph), called with fetch: Meta's Node SDK is unmaintained
// (providers.md §2). Stateless: token, secrets and phone number id come with each context.

export const GRAPH_TIMEOUT_MS = 15_000;
// Meta's largest media type (documents) is 100 MB; the store's own MEDIA_MAX_BYTES still applies.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types
const WHATSAPP_MEDIA_MAX_BYTES = 100 * 1024 * 1024;

export interface WhatsappCloudOptions {
  timeoutMs?: number;
}

const sendResponseSchema = z.looseObject({ messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1) });
const mediaResponseSchema = z.looseObject({ url: z.string().url(), mime_type: z.string().optional() });
const graphErrorSchema = z.looseObject({
  error: z.looseObject({ message: z.string().optional(), code: z.number().optional(), error_subcode: z.number().optional(), error_data: z.looseObject({ details: z.string().optional() }).optional() }),
});

export class WhatsappCloudAdapter {
  private readonly timeoutMs: number;

  constructor(options: WhatsappCloudOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? GRAPH_TIMEOUT_MS;
  }

  // GET is Meta's subscription handshake and proves itself with the verify token; POST carries
  // X-Hub-Signature-256 = sha256=<hex HMAC-SHA256(appSecret, raw body)>, checked over the bytes
  // received (Meta escapes non-ASCII, so re-serialised JSON would not match).
  // https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications
  verify(request: WebhookRequest, context: ChannelContext<WhatsappCloudConfig>): void {
    if (request.method === 'GET') {
      if (queryValue(request, 'hub.mode') !== 'subscribe') throw new SignatureError('Only the hub.mode=subscribe handshake is answered');
      if (!safeEqual(queryValue(request, 'hub.verify_token') ?? '', context.config.verifyToken)) throw new SignatureError('hub.verify_token does not match');
      return;
    }
    const header = getHeader(request, 'x-hub-signature-256');
    if (!header) throw new SignatureError('Missing X-Hub-Signature-256 header');
    const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
    if (!match) throw new SignatureError('X-Hub-Signature-256 must be sha256=<hex>');
    const expected = createHmac('sha256', context.config.appSecret).update(request.rawBody).digest();
    if (!timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected)) throw new SignatureError('X-Hub-Signature-256 does not match');
  }

  parse(request: WebhookRequest, context: ChannelContext<WhatsappCloudConfig>): WebhookResult {
    if (request.method === 'GET') {
      // verify() checked mode and token; Meta expects the raw challenge back.
      return { events: [], reply: { status: 200, body: queryValue(request, 'hub.challenge') ?? '', contentType: 'text/plain' } };
    }
    return { events: parseCloudNotification(request.rawBody, context.config.apiBaseUrl) };
  }

  // Webhook media ids expire after 7 days, so they are resolved while the webhook is in hand:
  // GET /{media-id} gives a short-lived download URL (bearer token required to fetch it).
  // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url
  async prepare(events: InboundEvent[], context: ChannelContext<WhatsappCloudConfig>): Promise<InboundEvent[]> {
    return copyAttachments(events, async (attachment) => {
      const mediaId = graphMediaId(attachment, context.config.apiBaseUrl);
      if (mediaId === undefined) return undefined;
      const media = mediaResponseSchema.parse(await this.graph('GET', `/${encodeURIComponent(mediaId)}`, context));
      const contentType = media.mime_type ?? attachment.contentType;
      if (!context.media) return { ...attachment, url: media.url, contentType };
      // The download URL lives for minutes: Parley keeps its own copy.
      const file = await downloadMedia(media.url, {
        headers: { authorization: `Bearer ${context.config.accessToken}` },
        timeoutMs: this.timeoutMs,
        maxBytes: WHATSAPP_MEDIA_MAX_BYTES,
        fallbackContentType: contentType,
        ...(attachment.name !== undefined && { name: attachment.name }),
      });
      const stored = await context.media.save(file);
      return { ...attachment, url: stored.url, contentType: stored.contentType };
    });
  }

  // Text, interactive and media bodies go as separate messages; a retry resumes after those
  // Meta already accepted (sendInParts). The first one's wamid is the message's external id.
  async send(message: OutboundMessage, context: ChannelContext<WhatsappCloudConfig>): Promise<SendResult> {
    return sendInParts(message, toCloudMessages(message.to.address, message.rendered), (body) => this.post(body, context));
  }

  private async post(body: CloudSendBody, context: ChannelContext<WhatsappCloudConfig>): Promise<string> {
    const answer = sendResponseSchema.safeParse(await this.graph('POST', `/${context.config.phoneNumberId}/messages`, context, body));
    if (!answer.success) throw new ProviderError('permanent', 'WhatsApp answered without messages[0].id');
    return answer.data.messages[0]!.id;
  }

  private async graph(method: 'GET' | 'POST', path: string, context: ChannelContext<WhatsappCloudConfig>, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${graphBase(context.config.apiBaseUrl)}${path}`, {
        method,
        headers: { authorization: `Bearer ${context.config.accessToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      // AbortSignal.timeout() rejects with a DOMException named TimeoutError (not always an
      // Error instance across realms), so the name decides.
      const timedOut = typeof error === 'object' && error !== null && 'name' in error && error.name === 'TimeoutError';
      const reason = timedOut ? `no answer within ${this.timeoutMs} ms` : describe(error);
      throw new ProviderError('temporary', `WhatsApp unreachable: ${reason}`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) throw classifyGraphError(response.status, json, response.headers.get('retry-after'));
    return json;
  }
}

// Graph error codes: https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131048, 131056]);
const INVALID_RECIPIENT_CODES = new Set([131026, 131030]);

export function classifyGraphError(status: number, body: unknown, retryAfter: string | null = null): ProviderError {
  const parsed = graphErrorSchema.safeParse(body);
  const error = parsed.success ? parsed.data.error : undefined;
  const code = error?.code;
  const detail = `WhatsApp ${status}${code !== undefined ? ` (${code})` : ''}: ${error?.error_data?.details ?? error?.message ?? 'no error body'}`;
  if (code === 190 || status === 401) return new ProviderError('auth_revoked', detail);
  if (code === 131047) return new ProviderError('permanent', `Outside the 24-hour window: only templates can be sent (131047)`);
  if (code !== undefined && INVALID_RECIPIENT_CODES.has(code)) return new ProviderError('invalid_recipient', detail);
  if ((code !== undefined && RATE_LIMIT_CODES.has(code)) || status === 429) {
    const seconds = Number(retryAfter);
    return new ProviderError('rate_limited', detail, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined);
  }
  if (status >= 500) return new ProviderError('temporary', detail);
  return new ProviderError('permanent', detail);
}

function queryValue(request: WebhookRequest, key: string): string | undefined {
  const value = request.query[key];
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = (error as Error & { cause?: unknown }).cause;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  return code ?? error.message;
}
