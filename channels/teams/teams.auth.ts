import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type RemoteJWKSet } from 'jose';
import { z } from 'zod';
import { SignatureError } from '../channel-adapter.port';

// Inbound Bot Framework authentication, as botframework-connector does it for the "channel → bot"
// direction (providers.md §5; https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot):
//  - Authorization: Bearer <JWT>, RS256/384/512, key found by `kid` in the JWKS named by the
//    OpenID metadata document;
//  - iss = https://api.botframework.com, aud = our Microsoft App ID, exp/nbf with 5 min skew;
//  - a key that lists `endorsements` must endorse the activity's channelId;
//  - the `serviceurl` claim equals the activity's serviceUrl exactly. This binds the one part of
//    the (otherwise unsigned) body that matters: replies, with our bot token, go to serviceUrl.

export const BOT_FRAMEWORK_OPENID_METADATA_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const BOT_FRAMEWORK_CLOCK_TOLERANCE_SECONDS = 300;
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];

// The OpenID document changes rarely; botframework-connector refreshes it daily. The key set itself
// is refetched by jose when an unknown `kid` shows up (key rollover), at most every 30 s.
const METADATA_TTL_MS = 24 * 60 * 60 * 1000;
const FETCH_TIMEOUT_MS = 5_000;

interface CachedKeys {
  jwks: RemoteJWKSet;
  jwksUri: string;
  fetchedAt: number;
}

// Keyed by metadata URL: these are Microsoft's (or a configured proxy's) public keys, the same for
// every tenant, so sharing them is not per-tenant state.
const keyCache = new Map<string, Promise<CachedKeys>>();

const metadataSchema = z.looseObject({ jwks_uri: z.url({ protocol: /^https?$/ }) });

async function loadKeys(metadataUrl: string, nowMs: number): Promise<CachedKeys> {
  const cached = keyCache.get(metadataUrl);
  if (cached) {
    const keys = await cached.catch(() => undefined);
    if (keys && nowMs - keys.fetchedAt < METADATA_TTL_MS) return keys;
  }
  const loading = fetchKeys(metadataUrl, nowMs);
  keyCache.set(metadataUrl, loading);
  // A failed fetch is not cached: the next request tries again.
  loading.catch(() => keyCache.delete(metadataUrl));
  return loading;
}

async function fetchKeys(metadataUrl: string, nowMs: number): Promise<CachedKeys> {
  let response: Response;
  try {
    response = await fetch(metadataUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  } catch (error) {
    throw new Error(`Bot Framework OpenID metadata unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new Error(`Bot Framework OpenID metadata answered ${response.status}`);
  const metadata = metadataSchema.safeParse(await response.json());
  if (!metadata.success) throw new Error('Bot Framework OpenID metadata has no usable jwks_uri');
  const jwksUri = metadata.data.jwks_uri;
  return { jwks: createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: FETCH_TIMEOUT_MS }), jwksUri, fetchedAt: nowMs };
}

export interface BotFrameworkTokenCheck {
  authorization: string | undefined;
  appId: string;
  metadataUrl: string;
  // Read from the activity; checked against the token's `serviceurl` claim.
  serviceUrl: string | undefined;
  channelId: string | undefined;
  nowMs: number;
}

// Throws SignatureError when the request is not from the Bot Framework for this bot. Failing to
// reach the key endpoints is not a bad signature: it throws a plain Error (5xx, the sender retries).
export async function verifyBotFrameworkToken(check: BotFrameworkTokenCheck): Promise<JWTPayload> {
  const match = /^Bearer\s+(\S+)$/i.exec(check.authorization?.trim() ?? '');
  if (!match) throw new SignatureError('Missing Authorization: Bearer <token> header');
  const token = match[1]!;
  const keys = await loadKeys(check.metadataUrl, check.nowMs);

  let payload: JWTPayload;
  let kid: string | undefined;
  try {
    const verified = await jwtVerify(token, keys.jwks, {
      algorithms: ALGORITHMS,
      issuer: BOT_FRAMEWORK_ISSUER,
      audience: check.appId,
      clockTolerance: BOT_FRAMEWORK_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'],
      currentDate: new Date(check.nowMs),
    });
    payload = verified.payload;
    kid = verified.protectedHeader.kid;
  } catch (error) {
    if (isKeyFetchFailure(error)) {
      throw new Error(`Bot Framework signing keys unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
    throw new SignatureError(`Invalid Bot Framework token: ${error instanceof Error ? error.message : String(error)}`);
  }

  // https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#step-4-verify-the-jwt-token
  // "If the key has endorsements, the channelId of the activity must be among them."
  const jwk = keys.jwks.jwks()?.keys.find((key) => key.kid === kid);
  const endorsements: unknown = jwk && 'endorsements' in jwk ? (jwk as Record<string, unknown>).endorsements : undefined;
  if (Array.isArray(endorsements) && (check.channelId === undefined || !endorsements.includes(check.channelId))) {
    throw new SignatureError(`Signing key does not endorse channel ${check.channelId ?? '(none)'}`);
  }

  // botframework-connector: "Unauthorized. ServiceUrl claim do not match."
  if (typeof payload.serviceurl !== 'string' || check.serviceUrl === undefined || payload.serviceurl !== check.serviceUrl) {
    throw new SignatureError('Token serviceurl claim does not match the activity serviceUrl');
  }
  return payload;
}

// jose reports token problems with specific JOSEError subclasses; a failed key download is a
// network error, a timeout, an invalid key set, or the generic JOSEError for a non-200 answer.
function isKeyFetchFailure(error: unknown): boolean {
  if (!(error instanceof joseErrors.JOSEError)) return true;
  return error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC';
}
