import type { ChannelCapabilities, TextDialect } from './capabilities.types';
import { adaptiveCardOptions } from './adaptive-card';
import type { Content } from './content.schema';
import { slotTitle } from './content-options';
import { escapeText } from './dialect-writer';
import type { RenderResult } from './renderer';

// Shared by the renderer specs: what "never dropped" and "within the channel's limits" mean,
// checked on a RenderResult. Kept out of *.spec.ts so both the table and the property tests use
// the same definition.

// Titles a customer can see on native elements of the rendered content.
export function nativeTitles(rendered: Content, locale?: string): string[] {
  return [
    ...(rendered.buttons ?? []).map((b) => b.title),
    ...(rendered.quickReplies ?? []).map((q) => q.title),
    ...(rendered.listPicker?.items ?? []).map((i) => i.title),
    ...(rendered.timePicker ? rendered.timePicker.slots.map((s) => slotTitle(s, rendered.timePicker?.timezone ?? 'UTC', locale)) : []),
    ...(rendered.cards ?? []).flatMap((c) => (c.buttons ?? []).map((b) => b.title)),
    ...(rendered.adaptiveCard ? adaptiveCardOptions(rendered.adaptiveCard).map((o) => o.title) : []),
  ];
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

// The title as the fallback text writes it in that format.
export function titleInText(title: string, format: string | undefined): string {
  return escapeText(oneLine(title), (format ?? 'plain') as TextDialect);
}

// Every option shows up, natively or as a line of text.
export function missingOptions(result: RenderResult, locale?: string): string[] {
  const natives = new Set(nativeTitles(result.rendered, locale));
  const text = result.rendered.text ?? '';
  return result.options
    .filter((o) => !natives.has(o.title) && !text.includes(titleInText(o.title, result.rendered.format)))
    .map((o) => o.title);
}

const chars = (s: string) => [...s].length;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const over = (value: number, limit: number | undefined) => limit !== undefined && value > limit;

// Limits the rendered content breaks; empty when it fits the channel.
export function limitViolations(result: RenderResult, caps: ChannelCapabilities): string[] {
  const { rendered, parts } = result;
  const l = caps.limits;
  const v: string[] = [];
  for (const key of Object.keys(rendered)) {
    if (key === 'text' || key === 'format') continue;
    if (!(caps.native as string[]).includes(key)) v.push(`${key} is not native`);
  }
  const buttons = rendered.buttons ?? [];
  if (over(buttons.length, l.maxButtons)) v.push('too many buttons');
  if (over(buttons.filter((b) => b.url).length, l.maxUrlButtons)) v.push('too many url buttons');
  for (const b of buttons) {
    if (over(chars(b.title), l.maxButtonTitle)) v.push(`button title too long: ${b.title}`);
    if (!b.url && b.payload !== undefined && over(bytes(b.payload), l.maxPayloadBytes)) v.push('button payload too long');
  }
  const replies = rendered.quickReplies ?? [];
  if (over(replies.length, l.maxQuickReplies)) v.push('too many quick replies');
  for (const q of replies) {
    if (over(chars(q.title), l.maxButtonTitle)) v.push(`quick reply title too long: ${q.title}`);
    if (over(bytes(q.payload), l.maxPayloadBytes)) v.push('quick reply payload too long');
  }
  const items = rendered.listPicker?.items ?? [];
  if (over(items.length, l.maxListItems)) v.push('too many list items');
  for (const i of items) {
    if (over(chars(i.title), l.maxListItemTitle)) v.push(`list item title too long: ${i.title}`);
    if (over(chars(i.subtitle ?? ''), l.maxListItemSubtitle)) v.push('list item subtitle too long');
    if (over(bytes(i.payload), l.maxPayloadBytes)) v.push('list item payload too long');
  }
  if (rendered.timePicker) {
    if (over(rendered.timePicker.slots.length, l.maxListItems)) v.push('too many slots');
    for (const s of rendered.timePicker.slots) if (over(bytes(s.start), l.maxPayloadBytes)) v.push('slot payload too long');
  }
  const cards = rendered.cards ?? [];
  if (over(cards.length, l.maxCards)) v.push('too many cards');
  for (const c of cards) if (over((c.buttons ?? []).length, l.maxButtons)) v.push('too many card buttons');
  if (rendered.adaptiveCard && l.maxAdaptiveCardVersion) {
    if (Number(rendered.adaptiveCard.version ?? '1.0') > Number(l.maxAdaptiveCardVersion)) v.push('adaptive card too new');
  }
  const interactive = (['buttons', 'quickReplies', 'listPicker', 'timePicker'] as const).filter((k) => rendered[k] !== undefined);
  if (over(interactive.length, l.maxInteractiveElements)) v.push('too many interactive elements');
  for (const part of parts) if (over(part.length, l.maxTextLength)) v.push(`part of ${part.length} characters`);
  return v;
}
