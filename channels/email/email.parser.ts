import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { htmlToDialect, sanitizeHtml } from '../../src/content/html';
import { type AutomatedKind, detectAutomated } from './email-automation';
import { stripQuotedHtml, stripQuotedText } from './email-quotes';
import { baseSubject, messageIdsIn, syntheticMessageId, threadCandidates, threadRoot } from './email-threading';

// One received mail (RFC 5322 bytes, from the SMTP listener or IMAP) → what Parley keeps of it.
// Pure: no database, no network. mailparser output notes in providers.md §6.

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  size: number;
  // Referenced from the HTML as cid: (an embedded image) rather than attached.
  inline: boolean;
  contentId: string | null;
}

export interface ParsedEmail {
  // Dedupe key: the Message-ID, or a hash of the bytes when the mail has none.
  messageId: string;
  inReplyTo: string[];
  references: string[];
  // Known ids to look for, best first (see threadCandidates).
  threadCandidates: string[];
  // Key of the thread when none of the candidates is known.
  threadRoot: string;
  from: { address: string; name: string | null } | null;
  // As written, and without Re:/Fwd: prefixes (the case subject).
  subject: string | null;
  caseSubject: string | null;
  date: Date | null;
  // What the agent reads: the plain-text part, or the HTML as text, without the quoted history.
  text: string;
  // The HTML part sanitised for display, quoted history removed; null for text-only mail.
  html: string | null;
  attachments: EmailAttachment[];
  automated: AutomatedKind | null;
  // A delivery status notification: which of our mails bounced, and why.
  bounce: { originalMessageId: string | null; reason: string | null } | null;
}

export interface EmailEnvelope {
  // MAIL FROM: '' for the null sender `<>`; null when unknown (IMAP).
  mailFrom: string | null;
}

// Larger HTML is kept in the raw message but not parsed for display.
const MAX_HTML_TO_PARSE = 2 * 1024 * 1024;

export async function parseEmail(raw: Buffer, envelope: EmailEnvelope = { mailFrom: null }): Promise<ParsedEmail> {
  const mail = await simpleParser(raw, {
    // Only a real text/plain part counts as text: an HTML-only mail is converted by our own
    // converter after its quotes are removed.
    skipHtmlToText: true,
    skipTextToHtml: true,
    // cid: links stay links (the sanitiser keeps them) instead of megabytes of data: URIs.
    keepCidLinks: true,
    maxHtmlLengthToParse: MAX_HTML_TO_PARSE,
  });
  const headers = headerMap(mail);
  const from = firstAddress(mail.from);
  const subject = withoutNul(mail.subject);
  const inReplyTo = messageIdsIn(mail.inReplyTo);
  const references = messageIdsIn(mail.references);
  const messageId = messageIdsIn(mail.messageId)[0] ?? syntheticMessageId(raw);
  const contentType = headerValue(mail, 'content-type');
  const automated = detectAutomated({ headers, contentType, fromAddress: from?.address ?? null, envelopeSender: envelope.mailFrom });
  const bounce = automated === 'bounce' ? bounceOf(mail) : null;
  const rawHtml = typeof mail.html === 'string' ? withoutNul(mail.html) : '';
  const html = rawHtml.trim() !== '' ? sanitizeHtml(stripQuotedHtml(rawHtml)) : null;
  const rawText = withoutNul(mail.text);
  const plain = rawText?.trim() ? rawText : null;
  const text = plain !== null ? stripQuotedText(plain) : html !== null ? stripQuotedText(htmlToDialect(html, 'plain')) : '';
  return withoutNulDeep({
    messageId,
    inReplyTo,
    references,
    threadCandidates: threadCandidates(inReplyTo, references, bounce?.originalMessageId ? [bounce.originalMessageId] : []),
    threadRoot: threadRoot(messageId, inReplyTo, references),
    from,
    subject: subject?.trim() || null,
    caseSubject: baseSubject(subject),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    text,
    html,
    attachments: mail.attachments.filter((a) => !isReportPart(a.contentType)).map((a, index) => ({
      filename: a.filename?.trim() || `attachment-${index + 1}${extensionOf(a.contentType)}`,
      contentType: a.contentType || 'application/octet-stream',
      content: a.content,
      size: a.size ?? a.content.length,
      inline: a.related === true || a.contentDisposition === 'inline',
      contentId: a.contentId ?? null,
    })),
    automated,
    bounce,
  });
}

// PostgreSQL's text and jsonb refuse U+0000, which a mail may well carry (a broken client, a
// binary part sent as text): every string Parley keeps of the mail goes without it. Only there:
// the raw mail is stored as bytes, unchanged.
function withoutNul<T extends string | null | undefined>(value: T): T {
  return (typeof value === 'string' ? value.replaceAll('\u0000', '') : value) as T;
}

// Every string in the parsed mail (ids, names, attachment names, the bounce reason); bytes
// (attachment contents) and dates as they are.
function withoutNulDeep<T>(value: T): T {
  if (typeof value === 'string') return withoutNul(value) as T;
  if (Array.isArray(value)) return value.map(withoutNulDeep) as T;
  if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, withoutNulDeep(entry)])) as T;
  }
  return value;
}

function firstAddress(value: AddressObject | undefined): { address: string; name: string | null } | null {
  const first = value?.value.find((entry) => entry.address?.includes('@'));
  if (!first?.address) return null;
  return { address: first.address.trim().toLowerCase(), name: first.name?.trim() || null };
}

// Header name → its values as written (unfolded), for the rules that read raw headers.
function headerMap(mail: ParsedMail): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { key, line } of mail.headerLines) {
    const colon = line.indexOf(':');
    const value = (colon >= 0 ? line.slice(colon + 1) : '').replace(/\r?\n[ \t]+/g, ' ').trim();
    map.set(key.toLowerCase(), [...(map.get(key.toLowerCase()) ?? []), value]);
  }
  return map;
}

function headerValue(mail: ParsedMail, name: string): string | null {
  const value = mail.headers.get(name);
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return null;
}

// The parts of a delivery report that describe the original (RFC 3464): its headers
// (text/rfc822-headers) or the whole message (message/rfc822). mailparser hands them over as
// attachments; they are machine-readable context, not files the customer sent.
function isReportPart(contentType: string | undefined): boolean {
  return contentType === 'text/rfc822-headers' || contentType === 'message/rfc822' || contentType === 'message/delivery-status';
}

function bounceOf(mail: ParsedMail): { originalMessageId: string | null; reason: string | null } {
  const original = mail.attachments.find((a) => isReportPart(a.contentType) && a.contentType !== 'message/delivery-status');
  const originalHeaders = original ? headerBlock(original.content.toString('utf8')) : '';
  const originalMessageId = messageIdsIn(/^message-id:\s*(.*)$/im.exec(originalHeaders)?.[1] ?? null)[0] ?? null;
  // mailparser inlines message/delivery-status into `text`.
  const report = (mail.text ?? '').replace(/\r?\n[ \t]+/g, ' ');
  const diagnostic = /^Diagnostic-Code:\s*(?:smtp;\s*)?(.+)$/im.exec(report)?.[1]?.trim();
  const status = /^Status:\s*(\d\.\d{1,3}\.\d{1,3})/im.exec(report)?.[1];
  const reason = diagnostic ?? (status ? `Delivery status ${status}` : null);
  return { originalMessageId, reason: reason ? reason.slice(0, 500) : null };
}

// The header section of a message (up to the first empty line), unfolded.
function headerBlock(message: string): string {
  const end = message.search(/\r?\n\r?\n/);
  return (end >= 0 ? message.slice(0, end) : message).replace(/\r?\n[ \t]+/g, ' ');
}

function extensionOf(contentType: string | undefined): string {
  const subtype = contentType?.split('/')[1]?.split(/[;+]/)[0];
  return subtype && /^[a-z0-9.-]{1,10}$/i.test(subtype) ? `.${subtype}` : '';
}
