import type { Button, ListPicker, QuickReply, TimePicker, TimeSlot } from './content.schema';

// An option is anything the customer can pick: a button, a quick reply, a list item, a time slot,
// an Adaptive Card action. Natively it is a click; in text it is a numbered line the customer
// answers with its number or its title, and either way the same payload comes back.
export interface OptionSource {
  title: string;
  subtitle?: string;
  payload: string;
  // Set for options that open a link: the URL is shown in text and is the payload.
  url?: string;
}

export interface RenderedOption {
  index: number; // 1-based, continuous across one message
  title: string;
  payload: string;
}

// A link button answers with its URL unless the author gave it a payload of its own.
export function buttonOption(button: Button): OptionSource {
  const payload = button.payload ?? button.url ?? button.title;
  return button.url ? { title: button.title, payload, url: button.url } : { title: button.title, payload };
}

export function quickReplyOption(reply: QuickReply): OptionSource {
  return { title: reply.title, payload: reply.payload };
}

export function listItemOptions(list: ListPicker): OptionSource[] {
  return list.items.map((item) =>
    item.subtitle ? { title: item.title, subtitle: item.subtitle, payload: item.payload } : { title: item.title, payload: item.payload },
  );
}

// The locale the customer reads dates in, when it is known and supported; otherwise en-US
// (never the server's own default locale, which would make output depend on the host).
export function resolveLocale(locale: string | undefined): string {
  if (!locale) return 'en-US';
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale])[0] ?? 'en-US';
  } catch {
    return 'en-US'; // malformed language tag
  }
}

// A slot reads as its start in the picker's time zone, e.g. "Fri, Nov 20, 10:00 AM". ICU puts
// narrow no-break spaces in some formats; they become plain spaces so that SMS stays GSM-7 and a
// customer typing the title back still matches it.
export function slotTitle(slot: TimeSlot, timezone: string, locale?: string): string {
  const format = new Intl.DateTimeFormat(resolveLocale(locale), {
    timeZone: timezone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
  return format.format(new Date(slot.start)).replace(/[\u00a0\u202f\u2009]/g, ' ');
}

// A picked slot answers with its start exactly as the author wrote it.
export function timeSlotOptions(picker: TimePicker, locale?: string): OptionSource[] {
  return picker.slots.map((slot) => ({ title: slotTitle(slot, picker.timezone, locale), payload: slot.start }));
}
