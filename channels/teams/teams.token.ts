import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ProviderError } from '../channel-adapter.port';

// Outbound Bot Framework auth: an OAuth2 client-credentials token for the bot's App ID, sent as
// Bearer to the Bot Connector (providers.md §5; fixture teams-bot-token.json).
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#bot-to-connector

export const BOT_FRAMEWORK_TOKEN_URL = 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token';
export const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';
const TOKEN_TIMEOUT_MS = 10_000;
// Tokens are refreshed this long before they expire, so that none expires in flight.
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export interface BotCredentials {
  appId: string;
  appPassword: string;
  // Single-tenant bots get tokens from their own tenant's authority.
  tenantId?: string;
  tokenUrl?: string;
}

export function tokenUrlFor(credentials: BotCredentials): string {
  if (credentials.tokenUrl) return credentials.tokenUrl;
  if (credentials.tenantId) return `https://login.microsoftonline.com/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`;
  return BOT_FRAMEWORK_TOKEN_URL;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

// Keyed by endpoint, App ID and a hash of the password: a token is only ever reused by a channel
// holding the very credentials that obtained it. It is a cache of what the identity provider
// would answer anyway, not per-tenant configuration.
const tokenCache = new Map<string, CachedToken>();

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
});

export async function getBotToken(credentials: BotCredentials, nowMs: number = Date.now()): Promise<string> {
  const url = tokenUrlFor(credentials);
  const key = createHash('sha256').update(`${url}\n${credentials.appId}\n${credentials.appPassword}`).digest('base64url');
  const cached = tokenCache.get(key);
  if (cached && cached.expiresAt - REFRESH_MARGIN_MS > nowMs) return cached.accessToken;

  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credentials.appId,
        client_secret: credentials.appPassword,
        scope: BOT_FRAMEWORK_SCOPE,
      }).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    throw new ProviderError('temporary', `Bot Framework token endpoint unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw classifyTokenFailure(response.status, text);
  let parsed;
  try {
    parsed = tokenResponseSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new ProviderError('temporary', 'Bot Framework token endpoint answered without an access_token');
  tokenCache.set(key, { accessToken: parsed.data.access_token, expiresAt: nowMs + parsed.data.expires_in * 1000 });
  return parsed.data.access_token;
}

// Entra ID answers 400/401 with {"error": "invalid_client" | "unauthorized_client" | …} when the
// App ID or password is wrong or expired: the channel needs an admin.
// https://learn.microsoft.com/entra/identity-platform/reference-error-codes
function classifyTokenFailure(status: number, body: string): ProviderError {
  const code = /"error"\s*:\s*"([^"]+)"/.exec(body)?.[1];
  const reason = `Bot Framework token request failed: HTTP ${status}${code ? ` ${code}` : ''}`;
  if (status === 429) return new ProviderError('rate_limited', reason);
  if (status >= 500 || status === 408) return new ProviderError('temporary', reason);
  if (status === 400 || status === 401 || status === 403) return new ProviderError('auth_revoked', reason);
  return new ProviderError('permanent', reason);
}
