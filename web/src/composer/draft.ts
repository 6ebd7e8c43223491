import type { Content } from '../api/api.types';

// What the agent is composing, and the Content it becomes.

export interface DraftOption {
  title: string;
  payload: string;
  url: string;
}

export interface DraftSlot {
  // <input type="datetime-local"> value: a wall-clock time in the picker's zone.
  local: string;
  minutes: number;
}

export interface DraftTimePicker {
  title: string;
  timezone: string;
  slots: DraftSlot[];
}

export interface Draft {
  text: string;
  buttons: DraftOption[] | null;
  quickReplies: DraftOption[] | null;
  timePicker: DraftTimePicker | null;
}

export const EMPTY_DRAFT: Draft = { text: '', buttons: null, quickReplies: null, timePicker: null };

export const emptyOption = (): DraftOption => ({ title: '', payload: '', url: '' });

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

// A payload the agent did not bother to type: the title in UPPER_SNAKE ("Track order" → TRACK_ORDER).
export function payloadOf(option: DraftOption): string {
  const typed = option.payload.trim();
  if (typed) return typed;
  const derived = option.title.trim().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');
  return derived || option.title.trim();
}

const filled = (options: DraftOption[]) => options.filter((o) => o.title.trim() || o.payload.trim() || o.url.trim());

// Null when there is nothing to send. Invalid pieces are kept so that the server names them.
export function contentOf(draft: Draft): Content | null {
  const content: Content = {};
  if (draft.text.trim()) content.text = draft.text;
  if (draft.buttons && filled(draft.buttons).length) {
    content.buttons = filled(draft.buttons).map((o) => (o.url.trim() ? { title: o.title.trim(), url: o.url.trim() } : { title: o.title.trim(), payload: payloadOf(o) }));
  }
  if (draft.quickReplies && filled(draft.quickReplies).length) {
    content.quickReplies = filled(draft.quickReplies).map((o) => ({ title: o.title.trim(), payload: payloadOf(o) }));
  }
  if (draft.timePicker) {
    const { title, timezone, slots } = draft.timePicker;
    const starts = slots.filter((s) => s.local).map((s) => ({ start: zonedToIso(s.local, timezone) ?? s.local, durationMinutes: s.minutes }));
    if (starts.length) content.timePicker = { title: title.trim(), timezone: timezone.trim(), slots: starts };
  }
  return Object.keys(content).length ? content : null;
}

// "2026-11-20T10:00" in Europe/Madrid → "2026-11-20T09:00:00Z". Null for a bad value or zone.
export function zonedToIso(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  try {
    const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    // The zone's offset at an instant: its wall clock then, minus the instant.
    const offsetAt = (instant: number) => {
      const part = (type: string) => Number(format.formatToParts(new Date(instant)).find((p) => p.type === type)?.value);
      return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - instant;
    };
    // Twice, so that a wall time next to a DST change lands on the right side of it.
    let instant = wall - offsetAt(wall);
    instant = wall - offsetAt(instant);
    return new Date(instant).toISOString().replace('.000Z', 'Z');
  } catch {
    return null;
  }
}
