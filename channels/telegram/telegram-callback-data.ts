import { createHash } from 'node:crypto';

// An inline button's callback_data is 1–64 bytes (UTF-8), and Telegram hands it back verbatim
// in the callback query (https://core.telegram.org/bots/api#inlinekeyboardbutton). Parley
// payloads may be longer (up to 1000 bytes), so a longer one is sent as a reference instead:
//
//   "ref:" + the first 32 characters of base64url(SHA-256(payload))      (36 bytes)
//
// The reference cannot be turned back into the payload by the adapter, which keeps no state. It
// does not need to: the callback query also carries the message's keyboard, so the adapter reads
// the pressed button's title and hands it to the core as the customer's answer; the core resolves
// a title against the options of the case's latest outbound message (src/content/postback.ts)
// and stores the postback with the full payload, exactly as for a typed answer. A payload that
// itself starts with "ref:" is always sent as a reference, so that the prefix is unambiguous.

export const CALLBACK_DATA_MAX_BYTES = 64;
const REFERENCE_PREFIX = 'ref:';

export function callbackData(payload: string): string {
  if (Buffer.byteLength(payload, 'utf8') <= CALLBACK_DATA_MAX_BYTES && !isCallbackReference(payload)) return payload;
  return `${REFERENCE_PREFIX}${createHash('sha256').update(payload, 'utf8').digest('base64url').slice(0, 32)}`;
}

export function isCallbackReference(data: string): boolean {
  return data.startsWith(REFERENCE_PREFIX);
}
