import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { ProviderError } from '../channel-adapter.port';

// Sending through Twilio's Messages API with the official SDK:
// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource

export const TWILIO_API_BASE = 'https://api.twilio.com';
// Twilio's own webhook read timeout is 15 s; we give its API the same before retrying later.
export const TWILIO_TIMEOUT_MS = 15_000;

// The SDK has no base-URL option (providers.md §1): its requests are rewritten to `base`, keeping
// path and query, so that `apiBaseUrl` (a proxy, a regional edge, a local fake) is honoured.
// It also keeps the Retry-After of a 429, which the SDK's RestException does not carry.
class RedirectingRequestClient extends twilio.RequestClient {
  retryAfterMs: number | undefined;

  constructor(
    private readonly base: string,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const original = new URL(opts.uri);
    const response = await super.request({ ...opts, uri: `${this.base}${original.pathname}${original.search}` });
    if (response.statusCode === 429) this.retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'));
    return response;
  }
}

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  apiBaseUrl?: string;
}

export interface TwilioSendRequest {
  from: string;
  to: string;
  body?: string;
  mediaUrl?: string[];
  statusCallback: string;
}

// One client per call: adapters keep no per-tenant state, and the SDK client is cheap (lazy).
export async function createTwilioMessage(
  credentials: TwilioCredentials,
  request: TwilioSendRequest,
  timeoutMs = TWILIO_TIMEOUT_MS,
): Promise<string> {
  const base = (credentials.apiBaseUrl ?? TWILIO_API_BASE).replace(/\/+$/, '');
  const httpClient = new RedirectingRequestClient(base, timeoutMs);
  const client = twilio(credentials.accountSid, credentials.authToken, { httpClient });
  try {
    const message = await client.messages.create({
      from: request.from,
      to: request.to,
      statusCallback: request.statusCallback,
      ...(request.body !== undefined && { body: request.body }),
      ...(request.mediaUrl?.length && { mediaUrl: request.mediaUrl }),
    });
    return message.sid;
  } catch (error) {
    throw classifyTwilioError(error, httpClient.retryAfterMs);
  }
}

// Error codes: https://www.twilio.com/docs/api/errors
const AUTH_CODES = new Set([20003]); // Authentication Error
// 21211 invalid 'To' number, 21614 'To' is not a mobile number, 21610 unsubscribed (STOP).
const INVALID_RECIPIENT: Readonly<Record<number, string>> = {
  21211: 'Invalid recipient number',
  21614: 'Recipient number cannot receive SMS',
  21610: 'Recipient opted out (STOP)',
};

// `retryAfterMs`: the Retry-After of the 429 that raised the error, when it had one.
export function classifyTwilioError(error: unknown, retryAfterMs?: number): ProviderError {
  if (error instanceof ProviderError) return error;
  if (!(error instanceof twilio.RestException)) {
    // No HTTP answer: timeout, refused or reset connection, DNS. Worth another try.
    const reason = error instanceof Error ? error.message : String(error);
    return new ProviderError('temporary', `Twilio unreachable: ${reason}`);
  }
  const { status, code } = error;
  const detail = `Twilio ${status}${code !== undefined ? ` (${code})` : ''}: ${error.message}`;
  if (code !== undefined && INVALID_RECIPIENT[code]) return new ProviderError('invalid_recipient', INVALID_RECIPIENT[code]);
  if (status === 401 || status === 403 || (code !== undefined && AUTH_CODES.has(code))) {
    return new ProviderError('auth_revoked', detail);
  }
  if (status === 429) return new ProviderError('rate_limited', detail, retryAfterMs);
  if (status >= 500 || status === 408) return new ProviderError('temporary', detail);
  return new ProviderError('permanent', detail);
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  // Axios headers: a plain object (or AxiosHeaders) with lowercase names.
  const value: unknown = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

// Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
