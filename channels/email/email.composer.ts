import type { Address, Attachment, Options } from 'nodemailer/lib/mailer';
import { htmlToDialect } from '../../src/content/html';
import { decodeEntities } from '../../src/content/html-entities';
import type { OutboundMessage } from '../channel-adapter.port';
import type { EmailConfig } from './email.config';
import { outboundMessageId, replyReferences, replySubject } from './email-threading';

// A rendered reply → the mail nodemailer sends: From the channel address, To the contact, a
// "Re:" subject, our own Message-ID, the threading headers of RFC 5322 §3.6.4, and the body as
// multipart/alternative (text and HTML) so every client shows it. Pure: no network.

export function composeEmail(message: OutboundMessage, config: EmailConfig): Options {
  const history = message.history ?? [];
  const latestInbound = [...history].reverse().find((entry) => entry.direction === 'inbound');
  const { text, html } = bodiesOf(message);
  const from: Address = { name: config.fromName ?? '', address: config.address };
  return {
    from,
    to: message.to.name ? { name: message.to.name, address: message.to.address } : message.to.address,
    subject: replySubject(message.subject),
    messageId: outboundMessageId(message.messageId, config.address),
    ...(latestInbound ? { inReplyTo: latestInbound.providerId } : {}),
    references: replyReferences(message.threadKey, history.map((entry) => entry.providerId)),
    text,
    html,
    attachments: (message.rendered.attachments ?? []).map(
      (attachment): Attachment => ({
        filename: attachment.name ?? fileNameOf(attachment.url),
        // nodemailer fetches http(s) paths while it streams the message.
        path: attachment.url,
        contentType: attachment.contentType,
      }),
    ),
  };
}

// The renderer leaves email text as HTML (already sanitised) or as plain text; each gets the other
// form derived from it.
export function bodiesOf(message: Pick<OutboundMessage, 'rendered'>): { text: string; html: string } {
  const source = message.rendered.text ?? '';
  if (message.rendered.format === 'html') {
    return { text: decodeEntities(htmlToDialect(source, 'plain')), html: source };
  }
  return { text: source, html: plainToHtml(source) };
}

const URL_PATTERN = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]']/g;

// Paragraphs on blank lines, line breaks kept, links clickable (fallback options keep their URL).
export function plainToHtml(text: string): string {
  if (text.trim() === '') return '';
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  return paragraphs.map((paragraph) => `<p>${linkify(paragraph).replace(/\n/g, '<br>\n')}</p>`).join('\n');
}

function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    out += escapeHtml(text.slice(last, match.index));
    const url = escapeHtml(match[0]);
    out += `<a href="${url}">${url}</a>`;
    last = match.index + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fileNameOf(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : 'attachment';
  } catch {
    return 'attachment';
  }
}
