// Business hours of a skill: weekly opening intervals in the skill's time zone, minus holidays.
// Pure functions over Intl (no time zone library): DST shifts are handled by asking Intl for the
// zone's offset at each instant rather than assuming a fixed one.

export interface WeeklyInterval {
  // 0 = Sunday … 6 = Saturday, as Date#getDay().
  day: number;
  // "HH:MM", 24-hour local time; `close` may be "24:00" (end of day) and is after `open`.
  open: string;
  close: string;
}

export interface BusinessHours {
  timezone: string;
  weekly: WeeklyInterval[];
  // Local dates "YYYY-MM-DD" on which the skill is closed all day.
  holidays: string[];
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timezone, f);
  }
  return f;
}

export function isValidTimezone(timezone: string): boolean {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

export function localParts(at: Date, timezone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(timezone).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday!]!,
  };
}

// The zone's offset from UTC at an instant, in ms (positive east of Greenwich).
function offsetAt(ms: number, timezone: string): number {
  const p = localParts(new Date(ms), timezone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

// The instant of a local wall-clock time. In a DST gap the time does not exist and the result is
// the same time in the new offset (02:30 → 03:30); in an overlap the first occurrence wins.
export function zonedTime(year: number, month: number, day: number, minutes: number, timezone: string): number {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  const first = guess - offsetAt(guess, timezone);
  const second = guess - offsetAt(first, timezone);
  return first === second ? first : Math.max(first, second);
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

export function localDate(p: { year: number; month: number; day: number }): string {
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

// Merged [open, close) minute ranges of one weekday.
function dayIntervals(hours: BusinessHours, weekday: number): Array<[number, number]> {
  const ranges = hours.weekly
    .filter((w) => w.day === weekday)
    .map((w): [number, number] => [minutesOf(w.open), minutesOf(w.close)])
    .filter(([open, close]) => close > open)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

export function isOpen(hours: BusinessHours, at: Date): boolean {
  const p = localParts(at, hours.timezone);
  if (hours.holidays.includes(localDate(p))) return false;
  const minute = p.hour * 60 + p.minute;
  return dayIntervals(hours, p.weekday).some(([open, close]) => minute >= open && minute < close);
}

// How far ahead a business-time deadline is searched before giving up (a calendar with no
// opening left, e.g. every day a holiday).
const MAX_DAYS = 800;

// `start` plus `seconds` of open time: the clock stops outside business hours (an SLA of one
// hour asked at 16:30 on a 9–17 day is due at 9:30 the next open day). Without business hours
// the clock always runs. Null when the calendar never opens again.
export function addBusinessSeconds(hours: BusinessHours | null, start: Date, seconds: number): Date | null {
  if (!hours) return new Date(start.getTime() + seconds * 1000);
  if (seconds <= 0) return start;
  let remaining = seconds * 1000;
  let cursor = start.getTime();
  const holidays = new Set(hours.holidays);
  for (let i = 0; i < MAX_DAYS; i++) {
    const p = localParts(new Date(cursor), hours.timezone);
    if (!holidays.has(localDate(p))) {
      for (const [open, close] of dayIntervals(hours, p.weekday)) {
        const from = Math.max(zonedTime(p.year, p.month, p.day, open, hours.timezone), cursor);
        const to = zonedTime(p.year, p.month, p.day, close, hours.timezone);
        if (to <= from) continue;
        if (from + remaining <= to) return new Date(from + remaining);
        remaining -= to - from;
        cursor = to;
      }
    }
    const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
    cursor = Math.max(cursor + 1, zonedTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, hours.timezone));
  }
  return null;
}

// What the skill answers a customer message with when it arrives outside business hours; null
// when nothing should be sent: within hours, no hours or no reply set, not a customer message,
// or an automated one (an auto-reply or a bounce: answering it would start a mail loop).
export function outOfHoursReply(
  config: { businessHours: BusinessHours | null; outOfHoursReply: string | null },
  message: { direction: 'inbound' | 'outbound'; createdAt: string | Date; automated?: boolean },
): string | null {
  if (message.direction !== 'inbound' || message.automated === true) return null;
  if (!config.businessHours || !config.outOfHoursReply) return null;
  return isOpen(config.businessHours, new Date(message.createdAt)) ? null : config.outOfHoursReply;
}
