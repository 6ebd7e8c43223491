import {
  ProviderError,
  type ChannelAdapter,
  type ChannelContext,
  type ChannelKind,
  type OutboundMessage,
  type SendResult,
  type WebhookRequest,
  type WebhookResult,
} from '../channel-adapter.port';
import { getHeader } from '../webhook-request.util';
import { byocDefinition, type ByocConfig } from './byoc.config';
import { parseByocWebhook, readCallbackResponse, toByocCallback } from './byoc.mapper';
import {
  BYOC_SIGNATURE_HEADER,
  BYOC_TIMESTAMP_HEADER,
  byocSignatureHeaders,
  verifyByocSignature,
} from './byoc.signature';

// "Bring your own channel" (API.md §5): an integrator posts signed JSON to the channel's webhook
// and receives signed callbacks for outbound messages. Stateless: the secret and callback URL
// come with each call's context.

// API.md §5: "no answer in 10 s" counts as a failed attempt.
export const BYOC_CALLBACK_TIMEOUT_MS = 10_000;

// Quoted in error reasons so the admin sees what the integrator answered, without flooding logs.
const MAX_REASON_BODY = 200;

export interface ByocAdapterOptions {
  timeoutMs?: number;
  // Unix epoch milliseconds; signatures are made and checked against it.
  now?: () => number;
}

export class ByocAdapter implements ChannelAdapter<ByocConfig> {
  readonly kind: ChannelKind = 'byoc';
  readonly configSchema = byocDefinition.configSchema;
  readonly secretFields = byocDefinition.secretFields;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(options: ByocAdapterOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? BYOC_CALLBACK_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  capabilities(config: ByocConfig) {
    return byocDefinition.capabilities(config);
  }

  verify(request: WebhookRequest, context: ChannelContext<ByocConfig>): void {
    verifyByocSignature(
      context.config.secret,
      getHeader(request, BYOC_TIMESTAMP_HEADER),
      getHeader(request, BYOC_SIGNATURE_HEADER),
      request.rawBody,
      this.now(),
    );
  }

  parse(request: WebhookRequest): WebhookResult {
    return { events: parseByocWebhook(request.rawBody, new Date(this.now())) };
  }

  async send(message: OutboundMessage, context: ChannelContext<ByocConfig>): Promise<SendResult> {
    const { callbackUrl, secret } = context.config;
    if (!secret) throw new ProviderError('auth_revoked', 'BYOC channel has no secret to sign callbacks with');

    // Signed over these exact bytes, which are the ones sent.
    const body = JSON.stringify(toByocCallback(message));
    let status: number;
    let responseBody: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(callbackUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Parley-BYOC/1',
          ...byocSignatureHeaders(secret, body, this.now()),
        },
        body,
        // A redirect would be followed as a GET (301/302) or re-posted to a host the admin never
        // configured; either way the callback URL needs fixing, so it is reported, not followed.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      // Read inside the try: the timeout also covers a body that never ends.
      responseBody = await response.text();
    } catch (error) {
      throw new ProviderError('temporary', this.describeNetworkError(error));
    }

    if (status >= 200 && status < 300) {
      const externalId = readCallbackResponse(responseBody);
      if (externalId !== undefined) return { externalId };
      // Delivery may well have happened, but without an id we cannot track it; retrying would
      // only deliver it twice, so the message fails with a reason the integrator can act on.
      throw new ProviderError(
        'permanent',
        `BYOC callback answered ${status} without a JSON {"externalId": "<string>"} body${quote(responseBody)}`,
      );
    }
    throw classifyStatus(status, responseBody, parseRetryAfter(retryAfter, this.now()));
  }

  // Duck-typed rather than instanceof: fetch's errors may come from another realm (a test VM).
  private describeNetworkError(error: unknown): string {
    const name = field(error, 'name');
    if (name === 'TimeoutError' || name === 'AbortError') {
      return `BYOC callback did not answer within ${this.timeoutMs} ms`;
    }
    // undici reports "fetch failed" with the socket error as its cause (ECONNREFUSED, ENOTFOUND…).
    const cause: unknown = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
    const detail = field(cause, 'code') ?? field(cause, 'message') ?? field(error, 'message') ?? String(error);
    return `BYOC callback unreachable: ${detail}`;
  }
}

function classifyStatus(status: number, body: string, retryAfterMs: number | undefined): ProviderError {
  const reason = `BYOC callback answered ${status}${quote(body)}`;
  if (status === 429) return new ProviderError('rate_limited', reason, retryAfterMs);
  if (status === 408 || status >= 500) return new ProviderError('temporary', reason, retryAfterMs);
  // The integrator refuses our signature: the channel needs attention (secret rotated, wrong URL).
  if (status === 401 || status === 403) return new ProviderError('auth_revoked', reason);
  if (status >= 300 && status < 400) return new ProviderError('permanent', `${reason}: redirects are not followed`);
  // 404, 410, 422 and every other 4xx: the same request will not succeed later.
  return new ProviderError('permanent', reason);
}

// Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function quote(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  if (!line) return '';
  return `: ${line.length > MAX_REASON_BODY ? `${line.slice(0, MAX_REASON_BODY)}…` : line}`;
}

function field(value: unknown, key: 'name' | 'code' | 'message'): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const found: unknown = (value as Record<string, unknown>)[key];
  return typeof found === 'string' && found !== '' ? found : undefined;
}
