import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureError } from '../channel-adapter.port';

// Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
//   X-Slack-Request-Timestamp: <unix seconds>
//   X-Slack-Signature: v0=<hex HMAC-SHA256(signingSecret, "v0:" + timestamp + ":" + rawBody)>
// Implemented here rather than with Bolt's verifySlackRequest: that helper takes the body as a
// string (we hold the exact bytes) and loading it pulls in the whole Bolt framework. The unit spec
// cross-checks both against the recorded fixtures.

export const SLACK_TIMESTAMP_HEADER = 'X-Slack-Request-Timestamp';
export const SLACK_SIGNATURE_HEADER = 'X-Slack-Signature';
// Bolt rejects requests older than 5 minutes; we also reject those claiming to be more than 5
// minutes in the future, which a replay with a forged clock could otherwise use.
export const SLACK_TOLERANCE_SECONDS = 300;

export function signSlack(signingSecret: string, timestamp: number | string, body: string | Buffer): string {
  const mac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(body).digest('hex');
  return `v0=${mac}`;
}

// Both headers, as Slack sends them: what the tests and fakes put on a request.
export function slackSignatureHeaders(signingSecret: string, body: string | Buffer, nowMs: number = Date.now()): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [SLACK_TIMESTAMP_HEADER]: String(timestamp),
    [SLACK_SIGNATURE_HEADER]: signSlack(signingSecret, timestamp, body),
  };
}

export function verifySlackSignature(
  signingSecret: string | undefined,
  timestamp: string | undefined,
  signature: string | undefined,
  body: Buffer,
  nowMs: number = Date.now(),
): void {
  if (!signingSecret) throw new SignatureError('Channel has no Slack signing secret');
  if (timestamp === undefined) throw new SignatureError(`Missing ${SLACK_TIMESTAMP_HEADER} header`);
  if (signature === undefined) throw new SignatureError(`Missing ${SLACK_SIGNATURE_HEADER} header`);
  const ts = timestamp.trim();
  if (!/^\d{1,12}$/.test(ts)) throw new SignatureError(`${SLACK_TIMESTAMP_HEADER} must be unix seconds`);
  if (Math.abs(Math.floor(nowMs / 1000) - Number(ts)) > SLACK_TOLERANCE_SECONDS) {
    throw new SignatureError(`${SLACK_TIMESTAMP_HEADER} is more than ${SLACK_TOLERANCE_SECONDS} s from now`);
  }
  const match = /^v0=([0-9a-fA-F]{64})$/.exec(signature.trim());
  if (!match) throw new SignatureError(`${SLACK_SIGNATURE_HEADER} must be v0=<hex HMAC-SHA256>`);
  const expected = Buffer.from(signSlack(signingSecret, ts, body).slice('v0='.length), 'hex');
  if (!timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected)) throw new SignatureError('Signature does not match');
}
