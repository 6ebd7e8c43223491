import { escapeMarkdownV2, slotTitle, splitText, type Attachment, type Content } from '../../src/content';
import { callbackData } from './telegram-callback-data';

// Rendered Content → the Bot API calls that send it, in order. The renderer already degraded
// what Telegram cannot show (cards, rich links, Adaptive Cards, templates) into the text, in
// MarkdownV2; what is left native is text, options and attachments:
//  - text: sendMessage with parse_mode MarkdownV2 (https://core.telegram.org/bots/api#markdownv2-style),
//    split into parts of at most 4096 characters ("1-4096 characters after entities parsing":
//    the escaped text is longer than what Telegram counts, so the split is on the safe side);
//  - buttons, quick replies, list items and time slots: one inline keyboard on the last text
//    part (https://core.telegram.org/bots/api#inlinekeyboardmarkup); postback options carry
//    their payload as callback_data (see telegram-callback-data.ts), link buttons their url;
//  - attachments: sendPhoto / sendDocument with the URL, which Telegram fetches itself
//    (https://core.telegram.org/bots/api#sending-files).

export const TELEGRAM_LIMITS = {
  // sendMessage text, in UTF-16 code units.
  text: 4096,
  // Two postback buttons share a row when both titles are this short: they stay readable on a
  // phone, as in Telegram's own examples; longer titles, links, list items and slots get a row each.
  pairedTitle: 20,
} as const;

// Photos Telegram accepts by URL; any other file goes as a document.
const PHOTO_TYPES = /^image\/(jpeg|png|webp)(\s*;.*)?$/i;
// Sent with a keyboard that has no text of its own to go with (text is required).
const DEFAULT_PROMPT = 'Choose an option';

export type InlineButton = { text: string; callback_data: string } | { text: string; url: string };
export interface ReplyMarkup {
  inline_keyboard: InlineButton[][];
}

interface Common {
  chat_id: string;
  reply_markup?: ReplyMarkup;
}
export type TelegramCall =
  | { method: 'sendMessage'; params: Common & { text: string; parse_mode?: 'MarkdownV2' } }
  // `label`: the file's name, for the link sent instead when Telegram cannot fetch the file.
  | { method: 'sendPhoto'; params: Common & { photo: string }; label?: string }
  | { method: 'sendDocument'; params: Common & { document: string }; label?: string };

interface OptionLike {
  title: string;
  payload?: string;
  url?: string;
}

export function toTelegramCalls(chatId: string, rendered: Content, locale?: string): TelegramCall[] {
  // Text the renderer wrote is MarkdownV2 or plain; what this mapper adds follows it, and is
  // MarkdownV2 when there is no text.
  const markdown = rendered.format === 'telegram-markdownv2' || !rendered.text?.trim();
  const escape = (text: string) => (markdown ? escapeMarkdownV2(text) : text);
  const heading = (text: string) => (markdown ? `*${escapeMarkdownV2(text)}*` : text);

  const sections: string[] = [];
  if (rendered.text?.trim()) sections.push(rendered.text);
  if (rendered.listPicker) {
    const list = rendered.listPicker;
    // Buttons show titles only: subtitles are listed under the list's title.
    const subtitles = list.items.filter((item) => item.subtitle).map((item) => `${escape(item.title)} — ${escape(item.subtitle!)}`);
    sections.push([heading(list.title), ...subtitles].join('\n'));
  }
  // Slots are written in the picker's zone: say which one, as the text fallback does.
  if (rendered.timePicker) sections.push(heading(`${rendered.timePicker.title} (${rendered.timePicker.timezone})`));

  const keyboard = inlineKeyboard(rendered, locale);
  const attachments = rendered.attachments ?? [];
  if (sections.length === 0 && keyboard && attachments.length === 0) sections.push(escape(DEFAULT_PROMPT));

  const calls: TelegramCall[] = [];
  for (const part of sections.length > 0 ? splitText(sections.join('\n\n'), TELEGRAM_LIMITS.text) : []) {
    calls.push({ method: 'sendMessage', params: { chat_id: chatId, text: part, ...(markdown && { parse_mode: 'MarkdownV2' as const }) } });
  }
  for (const attachment of attachments) calls.push(fileCall(chatId, attachment));
  // The keyboard goes with the last text part, or with the last file when there is no text.
  const target = [...calls].reverse().find((call) => call.method === 'sendMessage') ?? calls[calls.length - 1];
  if (keyboard && target) target.params.reply_markup = keyboard;
  return calls;
}

function fileCall(chatId: string, attachment: Attachment): TelegramCall {
  const label = attachment.name !== undefined ? { label: attachment.name } : {};
  return PHOTO_TYPES.test(attachment.contentType)
    ? { method: 'sendPhoto', params: { chat_id: chatId, photo: attachment.url }, ...label }
    : { method: 'sendDocument', params: { chat_id: chatId, document: attachment.url }, ...label };
}

// Buttons and quick replies first (as the author listed them), then list items, then time slots.
function inlineKeyboard(rendered: Content, locale: string | undefined): ReplyMarkup | undefined {
  const rows: InlineButton[][] = [];
  const pushPaired = (options: readonly OptionLike[]) => {
    let open: InlineButton[] | undefined;
    for (const option of options) {
      const button = inlineButton(option);
      const short = !('url' in button) && [...option.title].length <= TELEGRAM_LIMITS.pairedTitle;
      if (short && open && open.length === 1) {
        open.push(button);
        open = undefined;
        continue;
      }
      const row = [button];
      rows.push(row);
      open = short ? row : undefined;
    }
  };
  if (rendered.buttons) pushPaired(rendered.buttons);
  if (rendered.quickReplies) pushPaired(rendered.quickReplies);
  for (const item of rendered.listPicker?.items ?? []) rows.push([inlineButton(item)]);
  const picker = rendered.timePicker;
  // A picked slot answers with its start exactly as written, like the text fallback.
  for (const slot of picker?.slots ?? []) rows.push([inlineButton({ title: slotTitle(slot, picker!.timezone, locale), payload: slot.start })]);
  return rows.length > 0 ? { inline_keyboard: rows } : undefined;
}

// A button has exactly one action: a link opens, anything else posts back.
function inlineButton(option: OptionLike): InlineButton {
  if (option.url !== undefined) return { text: option.title, url: option.url };
  return { text: option.title, callback_data: callbackData(option.payload ?? option.title) };
}

// MarkdownV2 Telegram refuses to parse ("can't parse entities"), sent again as plain text: the
// escapes are removed so the customer reads the characters, not the backslashes.
export function asPlainText(call: Extract<TelegramCall, { method: 'sendMessage' }>): Extract<TelegramCall, { method: 'sendMessage' }> {
  const { parse_mode: _dropped, ...params } = call.params;
  return { method: 'sendMessage', params: { ...params, text: params.text.replace(/\\([\s\S])/g, '$1') } };
}

// A file Telegram could not fetch or accept, sent as a link instead (plain text).
export function asLink(call: Exclude<TelegramCall, { method: 'sendMessage' }>): Extract<TelegramCall, { method: 'sendMessage' }> {
  const url = call.method === 'sendPhoto' ? call.params.photo : call.params.document;
  const { chat_id, reply_markup } = call.params;
  return { method: 'sendMessage', params: { chat_id, text: call.label ? `${call.label}: ${url}` : url, ...(reply_markup && { reply_markup }) } };
}
