import { createHash } from 'node:crypto';

// Message-IDs and the threading rules of RFC 5322 §3.6.4 (providers.md §6 "Threading rules").

// `<local@domain>`, angle brackets included, as mailparser keeps them. Ids are compared exactly:
// RFC 5322 makes them opaque.
const MESSAGE_ID = /<[^<>\s]+>/g;

// "<a@b>", "a@b" or a header value with several ids → the ids, each in angle brackets.
export function messageIdsIn(value: string | readonly string[] | undefined | null): string[] {
  if (!value) return [];
  const text = typeof value === 'string' ? value : value.join(' ');
  const bracketed = text.match(MESSAGE_ID);
  if (bracketed) return bracketed;
  const bare = text.trim();
  return bare && !/\s/.test(bare) ? [`<${bare}>`] : [];
}

// A mail without a Message-ID still needs a stable dedupe key: the same bytes delivered twice
// (an SMTP retry, the same mail over IMAP) give the same key.
export function syntheticMessageId(raw: Buffer): string {
  return `<sha256.${createHash('sha256').update(raw).digest('hex')}@parley.invalid>`;
}

// The ids a reply may point at, best first: In-Reply-To, then References from the newest to the
// oldest. Outlook sometimes rewrites In-Reply-To to an id we never saw while References stays
// intact, so every id is tried. `extra` comes last (the original of a bounce).
export function threadCandidates(inReplyTo: readonly string[], references: readonly string[], extra: readonly string[] = []): string[] {
  const ordered = [...inReplyTo, ...[...references].reverse(), ...extra];
  return [...new Set(ordered)];
}

// A new thread is keyed by its root: the first id of References (the conversation's first mail,
// even if it never reached us), else the parent, else the mail itself.
export function threadRoot(messageId: string, inReplyTo: readonly string[], references: readonly string[]): string {
  return references[0] ?? inReplyTo[0] ?? messageId;
}

// Our outbound Message-IDs embed Parley's message id, so that a reply resolves to its case even
// when the send's commit was lost (the id is the same on every attempt), and live on the channel
// address's domain: the From domain, which is what receiving filters compare it with.
const OURS = /^<parley\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@[^<>\s]+>$/i;

export function outboundMessageId(messageId: string, channelAddress: string): string {
  return `<parley.${messageId}@${domainOf(channelAddress)}>`;
}

// Parley's message id inside one of our Message-IDs, or null.
export function parleyMessageIdOf(messageId: string): string | null {
  return OURS.exec(messageId)?.[1]?.toLowerCase() ?? null;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return (at >= 0 ? address.slice(at + 1) : address).toLowerCase();
}

// RFC 5322 §3.6.4 lets a long References be trimmed; the root (first id) must stay.
export const MAX_REFERENCES = 20;

export function replyReferences(root: string | null, history: readonly string[]): string[] {
  const ids = [...new Set([...(root ? messageIdsIn(root) : []), ...history.flatMap((id) => messageIdsIn(id))])];
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0]!, ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}

// "Re: Re: AW: Fwd: Order" → "Order": the case subject, and the base of our "Re: …".
const PREFIX = /^\s*((re|fw|fwd|aw|wg|sv|vs|antw|rif|r|tr|enc|res)\s*(\[\d+\])?\s*:\s*)+/i;

export function baseSubject(subject: string | null | undefined): string | null {
  const base = (subject ?? '').replace(PREFIX, '').replace(/\s+/g, ' ').trim();
  return base === '' ? null : base;
}

export function replySubject(caseSubject: string | null | undefined): string {
  const base = baseSubject(caseSubject);
  return base ? `Re: ${base}` : 'Re: your message';
}
