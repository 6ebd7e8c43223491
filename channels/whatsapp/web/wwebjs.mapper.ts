import { z } from 'zod';
import { type Attachment, type Content, contentSchema } from '../../../src/content/content.schema';
import { splitText } from '../../../src/content/text-split';
import type { DeliveryStatus, InboundEvent } from '../../channel-adapter.port';

// whatsapp-web.js `Message` objects → Parley events, and rendered Content → what to send.
// Message fields: https://docs.wwebjs.dev/Message.html (src/structures/Message.js, 1.34.7).

// Only what we read is declared; the library adds fields between versions, so objects stay loose.
// `_data` is the raw WhatsApp Web model the Message was built from.
const messageSchema = z.looseObject({
  id: z.looseObject({ _serialized: z.string().min(1), fromMe: z.boolean().optional() }),
  fromMe: z.boolean().optional(),
  from: z.string().min(1),
  type: z.string(),
  body: z.string().default(''),
  // Unix seconds; the 24-hour reply window runs from it.
  timestamp: z.number().int().positive().optional(),
  hasMedia: z.boolean().optional(),
  isStatus: z.boolean().optional(),
  location: z
    .looseObject({ latitude: z.coerce.number(), longitude: z.coerce.number(), name: z.string().optional(), address: z.string().optional() })
    .optional(),
  vCards: z.array(z.string()).optional(),
  selectedButtonId: z.string().optional(),
  selectedRowId: z.string().optional(),
  _data: z
    .looseObject({
      // The sender's own profile name ("push name").
      notifyName: z.string().optional(),
      caption: z.string().optional(),
      filename: z.string().optional(),
      mimetype: z.string().optional(),
    })
    .optional(),
});

export type WwebjsMessage = z.infer<typeof messageSchema>;

// Media a message carries: downloaded with `message.downloadMedia()`.
export const WWEBJS_MEDIA_TYPES = ['image', 'video', 'audio', 'ptt', 'document', 'sticker'] as const;
type MediaType = (typeof WWEBJS_MEDIA_TYPES)[number];
const MEDIA_LABELS: Record<MediaType, string> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  ptt: 'Voice message',
  document: 'Document',
  sticker: 'Sticker',
};

// Protocol and system messages that no customer wrote: never a case.
const SYSTEM_TYPES = new Set([
  'revoked',
  'ciphertext',
  'e2e_notification',
  'notification',
  'notification_template',
  'gp2',
  'group_notification',
  'broadcast_notification',
  'call_log',
  'protocol',
  'reaction',
  'debug',
  'unknown',
]);

export type InboundDecision = { kind: 'ignore'; reason: string } | { kind: 'message'; message: WwebjsMessage; mediaType?: MediaType };

// Which `message` events become Parley messages. One-to-one chats only: `<digits>@c.us`, or
// `…@lid` (WhatsApp's privacy "linked id", which hides the number). Groups are left out (a group
// would need one case for many senders, and replies reach everyone in it), as are status
// updates (`status@broadcast`), newsletters and our own messages.
export function readInbound(raw: unknown): InboundDecision {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'ignore', reason: `unreadable message: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` };
  const message = parsed.data;
  if (message.fromMe ?? message.id.fromMe) return { kind: 'ignore', reason: 'sent by this account' };
  if (message.isStatus || message.from.endsWith('@broadcast')) return { kind: 'ignore', reason: 'status update' };
  if (!/@(c\.us|lid)$/.test(message.from)) return { kind: 'ignore', reason: `not a one-to-one chat (${message.from.replace(/^.*@/, '@')})` };
  if (SYSTEM_TYPES.has(message.type)) return { kind: 'ignore', reason: `system message (${message.type})` };
  const mediaType = (WWEBJS_MEDIA_TYPES as readonly string[]).includes(message.type) ? (message.type as MediaType) : undefined;
  return { kind: 'message', message, ...(mediaType && { mediaType }) };
}

export interface InboundOptions {
  // The media, stored in Parley's storage; absent when it could not be downloaded or kept.
  attachment?: Attachment;
  // Used when the message carries no timestamp.
  now?: Date;
}

export function toInboundEvent(message: WwebjsMessage, options: InboundOptions = {}): Extract<InboundEvent, { kind: 'message' }> {
  const name = message._data?.notifyName?.trim();
  const phone = /^(\d{5,15})@c\.us$/.exec(message.from)?.[1];
  return {
    kind: 'message',
    providerMessageId: message.id._serialized,
    // The chat id is what sendMessage() needs to answer, so it is the address.
    from: { address: message.from, ...(phone && { phone: `+${phone}` }), ...(name && { name }) },
    timestamp: message.timestamp ? new Date(message.timestamp * 1000) : (options.now ?? new Date()),
    content: messageContent(message, options.attachment),
  };
}

function messageContent(message: WwebjsMessage, attachment: Attachment | undefined): Content {
  const content = contentOf(message, attachment);
  // Whatever the message held, the customer wrote something: never drop it for being odd.
  return contentSchema.safeParse(content).success ? content : { text: `[WhatsApp ${message.type} message]` };
}

function contentOf(message: WwebjsMessage, attachment: Attachment | undefined): Content {
  const body = message.body.trim();
  switch (message.type) {
    case 'chat':
      return { text: message.body };
    case 'buttons_response':
    case 'list_response': {
      // Answers to the (deprecated) Buttons and List messages: the chosen option's id.
      const payload = message.selectedButtonId ?? message.selectedRowId;
      return payload ? { postback: { payload, ...(body && { title: body }) } } : { text: message.body };
    }
    case 'location':
      // The body of a location message is a JPEG thumbnail, never text.
      return { text: locationText(message.location) };
    case 'vcard':
    case 'multi_vcard':
      return { text: (message.vCards ?? []).map(vcardText).join('\n') };
  }
  const mediaType = WWEBJS_MEDIA_TYPES.find((type) => type === message.type);
  if (mediaType) {
    // With media the body is the caption; a message whose media is gone may hold a thumbnail there.
    const caption = (message.hasMedia ? message.body : (message._data?.caption ?? '')).trim();
    if (attachment) return { ...(caption && { text: caption }), attachments: [attachment] };
    const filename = message._data?.filename;
    const placeholder = `[${MEDIA_LABELS[mediaType]}${filename ? `: ${filename}` : ''}]`;
    return { text: caption ? `${caption}\n${placeholder}` : placeholder };
  }
  return { text: body ? `[Unsupported WhatsApp message: ${message.type}]\n${body}` : `[Unsupported WhatsApp message: ${message.type}]` };
}

// Google Maps URLs: https://developers.google.com/maps/documentation/urls/get-started#search-action
function locationText(location: WwebjsMessage['location']): string {
  if (!location) return '[Location]';
  const label = [location.name, location.address].filter((part) => part?.trim()).join(', ');
  const link = `https://www.google.com/maps/search/?api=1&query=${location.latitude},${location.longitude}`;
  return `Location${label ? `: ${label}` : ''}\n${link}`;
}

// A shared contact as one line: its formatted name and numbers (vCard 3.0, RFC 2426).
export function vcardText(vcard: string): string {
  // Unfold continuation lines, then read FN and TEL properties (parameters before the colon).
  const lines = vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const value = (line: string) => line.slice(line.indexOf(':') + 1).replace(/\\([,;\\])/g, '$1').trim();
  const name = lines.find((line) => /^FN[:;]/i.test(line));
  const numbers = lines.filter((line) => /^(item\d+\.)?TEL[:;]/i.test(line)).map(value).filter(Boolean);
  const label = name ? value(name) : 'Contact';
  return `Contact: ${label}${numbers.length ? ` (${numbers.join(', ')})` : ''}`;
}

// ---- Delivery receipts ----

const ackMessageSchema = z.looseObject({ id: z.looseObject({ _serialized: z.string().min(1), fromMe: z.boolean() }) });

// MessageAck: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played (voice).
// https://docs.wwebjs.dev/global.html#MessageAck
const ACK_STATUS: Record<number, DeliveryStatus> = { [-1]: 'failed', 1: 'sent', 2: 'delivered', 3: 'read', 4: 'read' };

// `message_ack` → a status event for one of our own messages; undefined for anything else.
export function toStatusEvent(raw: unknown, ack: unknown): Extract<InboundEvent, { kind: 'status' }> | undefined {
  const parsed = ackMessageSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.id.fromMe || typeof ack !== 'number') return undefined;
  const status = ACK_STATUS[ack];
  if (!status) return undefined;
  return { kind: 'status', externalId: parsed.data.id._serialized, status, ...(status === 'failed' && { error: 'WhatsApp could not deliver the message' }) };
}

// ---- Outbound ----

export type WwebjsSend = { kind: 'text'; text: string } | { kind: 'media'; attachment: Attachment };

// One rendered Content → what to send, in order: the text (split to WhatsApp's length), then each
// attachment. Buttons and lists arrive here as numbered text: the capabilities of this provider
// declare none native (whatsapp.config.ts).
export function toWwebjsSends(rendered: Content, maxTextLength: number): WwebjsSend[] {
  const sends: WwebjsSend[] = [];
  let text = rendered.text?.trim() ? rendered.text : '';
  const link = rendered.richLink;
  // URLs auto-link in WhatsApp, with a preview.
  if (link && !text.includes(link.url)) text = [text || link.title, link.url].filter(Boolean).join('\n');
  for (const part of splitText(text, maxTextLength)) sends.push({ kind: 'text', text: part });
  for (const attachment of rendered.attachments ?? []) sends.push({ kind: 'media', attachment });
  return sends;
}
