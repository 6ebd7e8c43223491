import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureError } from '../channel-adapter.port';

// Telegram signs nothing: the `secret_token` given to setWebhook comes back verbatim in this
// header on every update, and is the only proof that Telegram sent it (providers.md §3).
// https://core.telegram.org/bots/api#setwebhook
export const TELEGRAM_SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

export function verifyTelegramSecret(expected: string | undefined, received: string | undefined): void {
  if (!expected) throw new SignatureError('Channel has no Telegram secret token');
  if (received === undefined) throw new SignatureError(`Missing ${TELEGRAM_SECRET_HEADER} header`);
  // Digests of equal length: the comparison takes the same time whatever the received length.
  if (!timingSafeEqual(digest(received), digest(expected))) throw new SignatureError(`${TELEGRAM_SECRET_HEADER} does not match`);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
