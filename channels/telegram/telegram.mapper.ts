import { z } from 'zod';
import { attachmentSchema, CONTENT_LIMITS, contentSchema, type Attachment, type Content } from '../../src/content';
import { PayloadError, type InboundEvent, type InboundSender } from '../channel-adapter.port';
import { isCallbackReference } from './telegram-callback-data';

// Telegram Update → Parley events (https://core.telegram.org/bots/api#update). One webhook
// request carries one Update with at most one of its optional fields; Parley handles `message`
// and `callback_query` and acknowledges every other kind (edits, reactions, member changes…)
// without storing anything.
//
// The chat id is the address: a private chat's id is the user's id, and in a group the group is
// the conversation. Ids can exceed 32 bits (≤ 52 significant bits: safe as JS numbers) and are
// kept as strings. The dedupe key is the update_id ("allows you to ignore repeated updates"),
// unique per bot, hence per channel.

export const TELEGRAM_API_ROOT = 'https://api.telegram.org';

export const telegramApiRoot = (apiBaseUrl: string | undefined): string => (apiBaseUrl ?? TELEGRAM_API_ROOT).replace(/\/+$/, '');

// ---------------------------------------------------------------------------------------------
// Files. Webhooks name media by file_id, which stays valid for the bot; a download needs getFile
// and a URL holding the bot token, which must never be stored. Until prepare() copies the bytes
// into Parley's media storage, an attachment names its file by this token-free reference.
// ---------------------------------------------------------------------------------------------

export function telegramFileReference(apiBaseUrl: string | undefined, fileId: string): string {
  return `${telegramApiRoot(apiBaseUrl)}/getFile?file_id=${encodeURIComponent(fileId)}`;
}

// The file_id named by a reference made above, for this channel's API root.
export function telegramFileId(attachment: Attachment, apiBaseUrl: string | undefined): string | undefined {
  const prefix = `${telegramApiRoot(apiBaseUrl)}/getFile?file_id=`;
  if (!attachment.url.startsWith(prefix)) return undefined;
  try {
    return decodeURIComponent(attachment.url.slice(prefix.length));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The subset of the Bot API types Parley reads. Loose objects: Telegram adds fields freely.
// ---------------------------------------------------------------------------------------------

const chatId = z.number().int();
const fileId = z.string().min(1).max(512);

const userSchema = z.looseObject({
  id: chatId,
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});

const chatSchema = z.looseObject({
  id: chatId,
  type: z.string(),
  title: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});

const fileSchema = z.looseObject({ file_id: fileId, file_name: z.string().optional(), mime_type: z.string().optional() });
const photoSizeSchema = z.looseObject({ file_id: fileId, width: z.number(), height: z.number(), file_size: z.number().optional() });

const inlineButtonSchema = z.looseObject({ text: z.string(), callback_data: z.string().optional(), url: z.string().optional() });

const messageSchema = z.looseObject({
  message_id: z.number().int(),
  from: userSchema.optional(),
  chat: chatSchema,
  date: z.number().int(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(photoSizeSchema).optional(),
  document: fileSchema.optional(),
  video: fileSchema.optional(),
  animation: fileSchema.optional(),
  audio: fileSchema.optional(),
  voice: fileSchema.optional(),
  video_note: fileSchema.optional(),
  sticker: z.looseObject({ emoji: z.string().optional() }).optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z.looseObject({ title: z.string(), address: z.string() }).optional(),
  contact: z.looseObject({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional() }).optional(),
});

// CallbackQuery.message may be an InaccessibleMessage ({chat, message_id, date: 0}): everything
// but the chat is optional here.
const callbackQuerySchema = z.looseObject({
  id: z.string().min(1),
  from: userSchema,
  message: z
    .looseObject({
      chat: chatSchema,
      reply_markup: z.looseObject({ inline_keyboard: z.array(z.array(inlineButtonSchema)) }).optional(),
    })
    .optional(),
  data: z.string().optional(),
});

const updateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: z.unknown().optional(),
  callback_query: z.unknown().optional(),
});

export type TelegramMessage = z.infer<typeof messageSchema>;
export type TelegramCallbackQuery = z.infer<typeof callbackQuerySchema>;

export interface ParseOptions {
  apiBaseUrl?: string;
  // Callback queries carry no date: they are stamped when received.
  now: Date;
}

export function parseTelegramUpdate(rawBody: Buffer, options: ParseOptions): InboundEvent[] {
  const update = readUpdate(rawBody);
  if (update.message !== undefined) {
    const event = messageEvent(String(update.update_id), check(messageSchema, update.message, 'message'), options.apiBaseUrl);
    return event ? [event] : [];
  }
  if (update.callback_query !== undefined) {
    const event = callbackEvent(String(update.update_id), check(callbackQuerySchema, update.callback_query, 'callback_query'), options.now);
    return event ? [event] : [];
  }
  // edited_message, channel_post, message_reaction, my_chat_member…: nothing to store.
  return [];
}

// The callback query of an update, for answering it (answerCallbackQuery) after storage.
export function telegramCallbackQueryId(rawBody: Buffer): string | undefined {
  const update = readUpdate(rawBody);
  if (update.callback_query === undefined) return undefined;
  return check(callbackQuerySchema, update.callback_query, 'callback_query').id;
}

function readUpdate(rawBody: Buffer): z.infer<typeof updateSchema> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new PayloadError('Body is not valid JSON');
  }
  return check(updateSchema, json);
}

function messageEvent(providerMessageId: string, message: TelegramMessage, apiBaseUrl: string | undefined): InboundEvent | undefined {
  // Other bots' posts in a group are not customers writing.
  if (message.from?.is_bot) return undefined;
  const content = messageContent(message, apiBaseUrl);
  if (!content) return undefined;
  return {
    kind: 'message',
    providerMessageId,
    from: senderOf(message.chat, message.from),
    timestamp: new Date(message.date * 1000),
    content,
  };
}

function callbackEvent(providerMessageId: string, query: TelegramCallbackQuery, now: Date): InboundEvent | undefined {
  // A game button has no data: nothing was chosen.
  if (!query.data) return undefined;
  // The button's own text, read from the keyboard of the message it belongs to.
  const title = query.message?.reply_markup?.inline_keyboard
    .flat()
    .find((button) => button.callback_data === query.data)
    ?.text.trim()
    .slice(0, CONTENT_LIMITS.maxTitleLength);
  const chat = query.message?.chat ?? { id: query.from.id, type: 'private' };
  return {
    kind: 'message',
    providerMessageId,
    from: senderOf(chat, query.from),
    timestamp: now,
    content: callbackContent(query.data, title),
  };
}

// A payload too long for callback_data was sent as a reference (telegram-callback-data.ts). The
// button's title then stands for the answer: the core resolves a title against the options of the
// case's latest message, as for a typed answer, and stores the postback with the full payload.
function callbackContent(data: string, title: string | undefined): Content {
  if (isCallbackReference(data) && title) return { text: title };
  return { postback: { payload: data, ...(title && { title }) } };
}

function senderOf(chat: z.infer<typeof chatSchema>, user: z.infer<typeof userSchema> | undefined): InboundSender {
  const personal = [user?.first_name ?? chat.first_name, user?.last_name ?? chat.last_name].filter(Boolean).join(' ').trim();
  // In a group the conversation is the group's: it is named after the group.
  const name = chat.type === 'private' ? personal : (chat.title ?? personal);
  return { address: String(chat.id), ...(name && { name: name.slice(0, 255) }) };
}

// Kinds of user content Parley cannot show: stored as a note of what arrived rather than lost.
const UNSUPPORTED_KINDS = ['poll', 'dice', 'game', 'story', 'paid_media', 'checklist', 'invoice'] as const;

function messageContent(message: TelegramMessage, apiBaseUrl: string | undefined): Content | undefined {
  const written = message.text ?? message.caption;
  const text = written?.trim() ? written.slice(0, CONTENT_LIMITS.maxTextLength) : undefined;
  const attachments = messageFiles(message).flatMap((file) => {
    const attachment = attachmentSchema.safeParse({ ...file, url: telegramFileReference(apiBaseUrl, file.fileId) });
    return attachment.success ? [attachment.data] : [];
  });
  if (text !== undefined || attachments.length > 0) {
    const content: Content = { ...(text !== undefined && { text }), ...(attachments.length > 0 && { attachments }) };
    return contentSchema.safeParse(content).success ? content : undefined;
  }
  const described = describe(message);
  return described === undefined ? undefined : { text: described };
}

interface MessageFile {
  fileId: string;
  contentType: string;
  name?: string;
}

// Photos come in several sizes, the largest last; keep the largest.
// https://core.telegram.org/bots/api#message (photo: "Available sizes of the photo")
function messageFiles(message: TelegramMessage): MessageFile[] {
  const files: MessageFile[] = [];
  const photo = largest(message.photo ?? []);
  // Telegram re-encodes every photo as JPEG.
  if (photo) files.push({ fileId: photo.file_id, contentType: 'image/jpeg' });
  const typed = [
    [message.document, 'application/octet-stream'],
    [message.video, 'video/mp4'],
    [message.animation, 'video/mp4'],
    [message.audio, 'audio/mpeg'],
    [message.voice, 'audio/ogg'],
    [message.video_note, 'video/mp4'],
  ] as const;
  for (const [file, fallback] of typed) {
    if (!file) continue;
    // An animation is also sent as `document`; keep one of the two.
    if (file === message.document && message.animation) continue;
    files.push({
      fileId: file.file_id,
      contentType: file.mime_type && /^[\w.+-]+\/[\w.+-]+$/.test(file.mime_type) ? file.mime_type : fallback,
      ...(file.file_name?.trim() && { name: file.file_name.trim().slice(0, 255) }),
    });
  }
  return files.slice(0, CONTENT_LIMITS.maxAttachments);
}

function largest(sizes: z.infer<typeof photoSizeSchema>[]): z.infer<typeof photoSizeSchema> | undefined {
  return sizes.reduce<z.infer<typeof photoSizeSchema> | undefined>(
    (best, size) => (!best || size.width * size.height > best.width * best.height ? size : best),
    undefined,
  );
}

// Content without text or a file, written as text. Service messages (members joining, a pinned
// message, a new chat title…) describe nothing the customer said: undefined, nothing is stored.
function describe(message: TelegramMessage): string | undefined {
  if (message.venue) return `Location: ${message.location?.latitude}, ${message.location?.longitude} (${message.venue.title}, ${message.venue.address})`;
  if (message.location) return `Location: ${message.location.latitude}, ${message.location.longitude}`;
  if (message.contact) {
    const { first_name, last_name, phone_number } = message.contact;
    return `Contact: ${[first_name, last_name].filter(Boolean).join(' ')}, ${phone_number}`;
  }
  if (message.sticker) return message.sticker.emoji ?? '[Sticker]';
  const kind = UNSUPPORTED_KINDS.find((key) => message[key] !== undefined);
  return kind ? `[Unsupported Telegram message: ${kind}]` : undefined;
}

function check<T>(schema: z.ZodType<T>, input: unknown, prefix?: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new PayloadError(problems.join('; '));
}
