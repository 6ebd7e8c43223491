import { adaptiveCardFits, adaptiveCardPieces } from './adaptive-card';
import type { ChannelCapabilities, ChannelLimits, TextDialect } from './capabilities.types';
import type { Card, Content, TextFormat } from './content.schema';
import {
  type OptionSource,
  type RenderedOption,
  buttonOption,
  listItemOptions,
  quickReplyOption,
  resolveLocale,
  timeSlotOptions,
} from './content-options';
import { escapeText } from './dialect-writer';
import { type FallbackBlock, type FallbackLine, writeFallback } from './fallback-text';
import { htmlToDialect, sanitizeHtml } from './html';
import { markdownToDialect } from './markdown';
import { type SmsEncoding, smsInfo } from './sms';
import { splitText } from './text-split';

// Degrades channel-neutral Content to what one channel renders (API.md §7). Each element is kept
// native when the channel supports it within its limits, else moved to its next best native form
// (buttons → list on WhatsApp, quick replies → buttons on Slack, time slots → list), else written
// into the text. Nothing is dropped, and every option, native or not, gets a number and a payload
// so that a typed answer ("2", or the title) resolves to the same postback as a click.

export type { RenderedOption } from './content-options';

export interface RenderResult {
  // What the adapter sends: native elements (possibly transformed), everything else in `text`.
  rendered: Content;
  options: RenderedOption[];
  // `rendered.text` split into parts no longer than the channel's maxTextLength.
  parts: string[];
  sms?: { encoding: SmsEncoding; segments: number };
}

export interface RenderOptions {
  // The customer's locale (BCP 47), for dates; en-US when unknown.
  locale?: string;
}

type OptionKey = 'buttons' | 'quickReplies' | 'listPicker' | 'timePicker';

// An element that offers options, with the native forms it may take, best first.
interface OptionElement {
  items: OptionSource[];
  candidates: OptionKey[];
  // Keeps the element as the author wrote it when it stays in its own form.
  own: OptionKey;
  // Title for a list made from it (a WhatsApp list needs one).
  listTitle: string;
  heading?: string;
}

// Used when buttons or quick replies become a list: short enough for WhatsApp's 20-character
// list button.
const LIST_TITLE = 'Choose an option';

type Piece = { kind: 'heading' | 'text'; text: string } | { kind: 'link'; label?: string; url: string } | { kind: 'option'; option: OptionSource };

export function renderContent(content: Content, caps: ChannelCapabilities, opts: RenderOptions = {}): RenderResult {
  const locale = resolveLocale(opts.locale);
  const rendered: Content = {};
  const nativeOptions: OptionSource[] = [];
  const fallback: Piece[][] = [];
  let interactiveLeft = caps.limits.maxInteractiveElements ?? Number.POSITIVE_INFINITY;

  for (const element of optionElements(content, locale)) {
    const target =
      interactiveLeft > 0
        ? element.candidates.find((key) => rendered[key] === undefined && fitsAs(key, element.items, caps))
        : undefined;
    if (target) {
      place(rendered, target, element, content);
      nativeOptions.push(...element.items);
      interactiveLeft -= 1;
    } else {
      fallback.push([
        ...(element.heading ? [{ kind: 'heading', text: element.heading } as const] : []),
        ...element.items.map((option): Piece => ({ kind: 'option', option })),
      ]);
    }
  }

  if (content.cards) {
    if (cardsFit(content.cards, caps)) {
      rendered.cards = content.cards;
      nativeOptions.push(...content.cards.flatMap((card) => (card.buttons ?? []).map(buttonOption)));
    } else {
      fallback.push(...content.cards.map(cardPieces));
    }
  }
  if (content.richLink) {
    if (caps.native.includes('richLink')) rendered.richLink = content.richLink;
    else {
      const { title, url } = content.richLink;
      fallback.push([...(title ? [{ kind: 'text', text: title } as const] : []), { kind: 'link', url }]);
    }
  }
  if (content.adaptiveCard) {
    const pieces = adaptiveCardPieces(content.adaptiveCard);
    if (caps.native.includes('adaptiveCard') && adaptiveCardFits(content.adaptiveCard, caps.limits.maxAdaptiveCardVersion)) {
      rendered.adaptiveCard = content.adaptiveCard;
      nativeOptions.push(...pieces.flatMap((piece) => (piece.kind === 'option' ? [piece.option] : [])));
    } else {
      fallback.push(pieces);
    }
  }
  if (content.template) {
    if (caps.native.includes('template')) rendered.template = content.template;
    else fallback.push(templatePieces(content.template));
  }
  if (content.attachments) {
    if (caps.native.includes('attachments')) rendered.attachments = content.attachments;
    else {
      fallback.push(content.attachments.map((a): Piece => ({ kind: 'link', label: a.name ?? fileName(a.url), url: a.url })));
    }
  }
  if (content.postback) {
    fallback.push([{ kind: 'text', text: content.postback.title ?? content.postback.payload }]);
  }

  // Text options are numbered first, so the list the customer reads starts at 1; native ones
  // (whose numbers are never shown) follow.
  const options: RenderedOption[] = [];
  const number = (option: OptionSource): number => {
    const index = options.length + 1;
    options.push({ index, title: option.title, payload: option.payload });
    return index;
  };
  const blocks: FallbackBlock[] = fallback.map((pieces) =>
    pieces.map((piece): FallbackLine => {
      if (piece.kind !== 'option') return piece;
      const { title, subtitle, url } = piece.option;
      return { kind: 'option', index: number(piece.option), title, ...(subtitle ? { subtitle } : {}), ...(url ? { url } : {}) };
    }),
  );
  nativeOptions.forEach(number);

  const text = composeText(content, caps, blocks);
  if (text) {
    rendered.text = text.text;
    rendered.format = text.format;
  }
  const parts = text ? partsOf(text.text, caps.limits) : [];
  const result: RenderResult = { rendered, options, parts };
  if (caps.sms) result.sms = smsOfParts(parts);
  return result;
}

function optionElements(content: Content, locale: string): OptionElement[] {
  const elements: OptionElement[] = [];
  if (content.buttons) {
    elements.push({ items: content.buttons.map(buttonOption), candidates: ['buttons', 'listPicker'], own: 'buttons', listTitle: LIST_TITLE });
  }
  if (content.quickReplies) {
    elements.push({
      items: content.quickReplies.map(quickReplyOption),
      candidates: ['quickReplies', 'buttons', 'listPicker'],
      own: 'quickReplies',
      listTitle: LIST_TITLE,
    });
  }
  if (content.listPicker) {
    const { title } = content.listPicker;
    elements.push({ items: listItemOptions(content.listPicker), candidates: ['listPicker', 'buttons'], own: 'listPicker', listTitle: title, heading: title });
  }
  if (content.timePicker) {
    const { title, timezone } = content.timePicker;
    elements.push({
      items: timeSlotOptions(content.timePicker, locale),
      candidates: ['timePicker', 'listPicker', 'buttons'],
      own: 'timePicker',
      listTitle: title,
      // Slots are written in the picker's zone: say which one.
      heading: `${title} (${timezone})`,
    });
  }
  return elements;
}

const within = (value: number, limit: number | undefined): boolean => limit === undefined || value <= limit;
const chars = (text: string): number => [...text].length;

// Whether these options can be sent natively as `key` on this channel, within its limits.
function fitsAs(key: OptionKey, items: OptionSource[], caps: ChannelCapabilities): boolean {
  if (!caps.native.includes(key)) return false;
  const limits = caps.limits;
  const urls = items.filter((item) => item.url !== undefined).length;
  const payloadsFit = items.every(
    (item) => item.url !== undefined || within(Buffer.byteLength(item.payload, 'utf8'), limits.maxPayloadBytes),
  );
  const titlesFit = (limit: number | undefined) => items.every((item) => within(chars(item.title), limit));
  const hasSubtitles = items.some((item) => item.subtitle !== undefined);
  switch (key) {
    case 'buttons':
      return (
        !hasSubtitles &&
        within(items.length, limits.maxButtons) &&
        within(urls, limits.maxUrlButtons) &&
        titlesFit(limits.maxButtonTitle) &&
        payloadsFit
      );
    case 'quickReplies':
      // Quick replies answer with a payload; they cannot open a link.
      return !hasSubtitles && urls === 0 && within(items.length, limits.maxQuickReplies) && titlesFit(limits.maxButtonTitle) && payloadsFit;
    case 'listPicker':
      return (
        urls === 0 &&
        within(items.length, limits.maxListItems) &&
        titlesFit(limits.maxListItemTitle) &&
        items.every((item) => within(chars(item.subtitle ?? ''), limits.maxListItemSubtitle)) &&
        payloadsFit
      );
    case 'timePicker':
      return within(items.length, limits.maxListItems) && titlesFit(limits.maxListItemTitle) && payloadsFit;
  }
}

function place(rendered: Content, key: OptionKey, element: OptionElement, content: Content): void {
  if (key === element.own) {
    // Unchanged: the adapter builds the native form from the author's element.
    if (key === 'buttons') rendered.buttons = content.buttons;
    if (key === 'quickReplies') rendered.quickReplies = content.quickReplies;
    if (key === 'listPicker') rendered.listPicker = content.listPicker;
    if (key === 'timePicker') rendered.timePicker = content.timePicker;
    return;
  }
  switch (key) {
    case 'buttons':
      rendered.buttons = element.items.map((item) =>
        item.url ? { title: item.title, url: item.url, payload: item.payload } : { title: item.title, payload: item.payload },
      );
      return;
    case 'listPicker':
      rendered.listPicker = {
        title: element.listTitle,
        items: element.items.map((item) =>
          item.subtitle ? { title: item.title, subtitle: item.subtitle, payload: item.payload } : { title: item.title, payload: item.payload },
        ),
      };
      return;
    case 'quickReplies':
    case 'timePicker':
      // No element turns into quick replies or a time picker (see the candidates).
      return;
  }
}

function cardsFit(cards: Card[], caps: ChannelCapabilities): boolean {
  return (
    caps.native.includes('cards') &&
    within(cards.length, caps.limits.maxCards) &&
    cards.every((card) => {
      const buttons = (card.buttons ?? []).map(buttonOption);
      return buttons.length === 0 || fitsAs('buttons', buttons, { ...caps, native: ['buttons'] });
    })
  );
}

function cardPieces(card: Card): Piece[] {
  return [
    { kind: 'heading', text: card.title },
    ...(card.subtitle ? [{ kind: 'text', text: card.subtitle } as const] : []),
    ...(card.imageUrl ? [{ kind: 'link', url: card.imageUrl } as const] : []),
    ...(card.buttons ?? []).map((button): Piece => ({ kind: 'option', option: buttonOption(button) })),
  ];
}

// A template's body lives at the provider (WhatsApp); elsewhere all we can send is what it is
// and the values it carries.
function templatePieces(template: NonNullable<Content['template']>): Piece[] {
  const parameters = (template.parameters ?? []).map((parameter): Piece => {
    if (typeof parameter !== 'object') return { kind: 'text', text: String(parameter) };
    const text = parameter.text;
    return { kind: 'text', text: typeof text === 'string' ? text : JSON.stringify(parameter) };
  });
  return [{ kind: 'heading', text: `${template.name} (${template.language})` }, ...parameters];
}

function fileName(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : 'Attachment';
  } catch {
    return 'Attachment';
  }
}

// The author's text in a format the channel renders, followed by the degraded elements.
function composeText(content: Content, caps: ChannelCapabilities, blocks: FallbackBlock[]): { text: string; format: TextFormat } | undefined {
  const source = content.text?.trim() ? content.text : undefined;
  const sourceFormat: TextFormat = content.format ?? 'plain';
  const target = targetFormat(source === undefined ? undefined : sourceFormat, caps);
  const converted = source === undefined ? '' : convertText(source, sourceFormat, target);
  const degraded = writeFallback(blocks, target);
  const text = [converted, degraded].filter((part) => part.trim() !== '').join(target === 'html' ? '\n' : '\n\n');
  return text === '' ? undefined : { text, format: target };
}

// Plain text stays plain; HTML and Markdown stay as written where the channel renders them;
// text already in the channel's dialect is kept; anything else becomes the channel's dialect.
function targetFormat(sourceFormat: TextFormat | undefined, caps: ChannelCapabilities): TextDialect {
  if (sourceFormat === undefined) return caps.dialect;
  if (sourceFormat === 'plain' || sourceFormat === caps.dialect) return sourceFormat;
  if (sourceFormat === 'html' && caps.native.includes('html')) return 'html';
  return caps.dialect;
}

function convertText(text: string, from: TextFormat, to: TextDialect): string {
  if (from === 'html') return to === 'html' ? sanitizeHtml(text) : htmlToDialect(text, to);
  if (from === to) return text;
  if (from === 'markdown') return markdownToDialect(text, to);
  // Another channel's dialect: we do not parse it, so it is shown as the text it is.
  return escapeText(text, to);
}

function partsOf(text: string, limits: ChannelLimits): string[] {
  return limits.maxTextLength === undefined ? [text] : splitText(text, limits.maxTextLength);
}

function smsOfParts(parts: string[]): { encoding: SmsEncoding; segments: number } {
  const infos = parts.map(smsInfo);
  return {
    encoding: infos.some((info) => info.encoding === 'UCS-2') ? 'UCS-2' : 'GSM-7',
    segments: infos.reduce((sum, info) => sum + info.segments, 0),
  };
}
