import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignatureError } from '../channel-adapter.port';

// The BYOC signing scheme, both directions (API.md §5):
//   X-Parley-Timestamp: <unix seconds>
//   X-Parley-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>
// Same construction as Stripe's and Slack's: the timestamp is signed so a captured request cannot
// be replayed outside the tolerance window.

export const BYOC_TIMESTAMP_HEADER = 'X-Parley-Timestamp';
export const BYOC_SIGNATURE_HEADER = 'X-Parley-Signature';
export const BYOC_TOLERANCE_SECONDS = 300;

// Returns the header value, `v1=<hex>`.
export function signByoc(secret: string, timestamp: number | string, body: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `v1=${mac}`;
}

// Both headers for a body sent now: what Parley puts on callbacks and what integrators (and the
// tests and benchmark playing one) put on webhooks.
export function byocSignatureHeaders(
  secret: string,
  body: string | Buffer,
  nowMs: number = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [BYOC_TIMESTAMP_HEADER]: String(timestamp),
    [BYOC_SIGNATURE_HEADER]: signByoc(secret, timestamp, body),
  };
}

// 32 random bytes: what the server stores as a new BYOC channel's `secret`.
export function generateByocSecret(): string {
  return randomBytes(32).toString('base64url');
}

// Throws SignatureError unless `signature` holds a v1 HMAC of `timestamp.body` under `secret` and
// the timestamp is within BYOC_TOLERANCE_SECONDS of now. Several comma-separated v1 values are
// allowed so that an integrator can sign with an old and a new secret while rotating.
export function verifyByocSignature(
  secret: string | undefined,
  timestamp: string | undefined,
  signature: string | undefined,
  body: Buffer,
  nowMs: number = Date.now(),
): void {
  if (!secret) throw new SignatureError('Channel has no BYOC secret');
  if (timestamp === undefined) throw new SignatureError(`Missing ${BYOC_TIMESTAMP_HEADER} header`);
  if (signature === undefined) throw new SignatureError(`Missing ${BYOC_SIGNATURE_HEADER} header`);

  if (!/^\d{1,12}$/.test(timestamp.trim())) {
    throw new SignatureError(`${BYOC_TIMESTAMP_HEADER} must be unix seconds`);
  }
  const skew = Math.abs(Math.floor(nowMs / 1000) - Number(timestamp.trim()));
  if (skew > BYOC_TOLERANCE_SECONDS) {
    throw new SignatureError(`${BYOC_TIMESTAMP_HEADER} is more than ${BYOC_TOLERANCE_SECONDS} s from now`);
  }

  const expected = Buffer.from(signByoc(secret, timestamp.trim(), body).slice('v1='.length), 'hex');
  const candidates = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => /^v1=[0-9a-fA-F]{64}$/.test(part))
    .map((part) => Buffer.from(part.slice('v1='.length), 'hex'));
  if (candidates.length === 0) throw new SignatureError(`${BYOC_SIGNATURE_HEADER} must be v1=<hex HMAC-SHA256>`);
  // Every candidate is compared (no early exit) so timing says nothing about which one matched.
  let matched = false;
  for (const candidate of candidates) {
    if (timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched) throw new SignatureError('Signature does not match');
}
