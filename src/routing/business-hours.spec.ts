import { addBusinessSeconds, type BusinessHours, isOpen, isValidTimezone, outOfHoursReply, zonedTime } from './business-hours';

const weekdays9to17 = (timezone: string, holidays: string[] = []): BusinessHours => ({
  timezone,
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
  holidays,
});

describe('business hours', () => {
  const madrid = weekdays9to17('Europe/Madrid', ['2026-12-25']);

  it('is open inside the weekly intervals, in the skill time zone', () => {
    // Tuesday 2026-11-24: Madrid is UTC+1 in winter.
    expect(isOpen(madrid, new Date('2026-11-24T08:00:00Z'))).toBe(true); // 09:00 local
    expect(isOpen(madrid, new Date('2026-11-24T07:59:00Z'))).toBe(false); // 08:59 local
    expect(isOpen(madrid, new Date('2026-11-24T15:59:00Z'))).toBe(true); // 16:59 local
    expect(isOpen(madrid, new Date('2026-11-24T16:00:00Z'))).toBe(false); // 17:00 local: closed
  });

  it('is closed on weekends and holidays', () => {
    expect(isOpen(madrid, new Date('2026-11-28T10:00:00Z'))).toBe(false); // Saturday
    expect(isOpen(madrid, new Date('2026-12-25T10:00:00Z'))).toBe(false); // Friday, holiday
    expect(isOpen(madrid, new Date('2026-12-24T10:00:00Z'))).toBe(true);
  });

  it('follows daylight saving time', () => {
    // Summer: Madrid is UTC+2, so 07:00Z is 09:00 local.
    expect(isOpen(madrid, new Date('2026-06-16T07:00:00Z'))).toBe(true);
    expect(isOpen(madrid, new Date('2026-06-16T06:59:00Z'))).toBe(false);
  });

  it('accepts several intervals a day and a close at 24:00', () => {
    const split: BusinessHours = { timezone: 'UTC', holidays: [], weekly: [{ day: 2, open: '09:00', close: '12:00' }, { day: 2, open: '13:00', close: '24:00' }] };
    expect(isOpen(split, new Date('2026-11-24T12:30:00Z'))).toBe(false);
    expect(isOpen(split, new Date('2026-11-24T23:59:00Z'))).toBe(true);
    expect(isOpen(split, new Date('2026-11-25T00:00:00Z'))).toBe(false);
  });

  it('adds seconds of open time only', () => {
    // One hour asked at 16:30 local on a Tuesday: 30 min today, 30 min from 09:00 Wednesday.
    expect(addBusinessSeconds(madrid, new Date('2026-11-24T15:30:00Z'), 3600)?.toISOString()).toBe('2026-11-25T08:30:00.000Z');
    // Asked on Friday evening: due Monday morning.
    expect(addBusinessSeconds(madrid, new Date('2026-11-27T20:00:00Z'), 1800)?.toISOString()).toBe('2026-11-30T08:30:00.000Z');
    // Skips the Christmas holiday (Friday) and the weekend.
    expect(addBusinessSeconds(madrid, new Date('2026-12-24T15:00:00Z'), 7200)?.toISOString()).toBe('2026-12-28T09:00:00.000Z');
    // Inside one interval: plain addition.
    expect(addBusinessSeconds(madrid, new Date('2026-11-24T09:00:00Z'), 600)?.toISOString()).toBe('2026-11-24T09:10:00.000Z');
  });

  it('runs the clock all the time without business hours, and gives up on a calendar that never opens', () => {
    expect(addBusinessSeconds(null, new Date('2026-11-24T15:30:00Z'), 60)?.toISOString()).toBe('2026-11-24T15:31:00.000Z');
    const never: BusinessHours = { timezone: 'UTC', holidays: [], weekly: [] };
    expect(addBusinessSeconds(never, new Date('2026-11-24T15:30:00Z'), 60)).toBeNull();
  });

  it('maps local times across DST transitions', () => {
    // New York springs forward on 2026-03-08 at 02:00: 02:30 does not exist and becomes 03:30 EDT.
    expect(new Date(zonedTime(2026, 3, 8, 150, 'America/New_York')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // It falls back on 2026-11-01: 01:30 happens twice; the first (EDT) wins.
    expect(new Date(zonedTime(2026, 11, 1, 90, 'America/New_York')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(new Date(zonedTime(2026, 11, 2, 540, 'America/New_York')).toISOString()).toBe('2026-11-02T14:00:00.000Z');
  });

  it('validates time zones', () => {
    expect(isValidTimezone('America/Sao_Paulo')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
  });

  describe('out-of-hours reply', () => {
    const config = { businessHours: madrid, outOfHoursReply: 'We are closed' };
    // Saturday: closed. Tuesday 10:00 local: open.
    const saturday = { direction: 'inbound' as const, createdAt: '2026-11-28T10:00:00Z' };

    it('answers a customer message outside business hours', () => {
      expect(outOfHoursReply(config, saturday)).toBe('We are closed');
    });

    it('never answers an automated inbound message (auto-reply, bounce): no mail loops', () => {
      expect(outOfHoursReply(config, { ...saturday, automated: true })).toBeNull();
    });

    it('stays silent within hours, without hours or a reply text, and for our own messages', () => {
      expect(outOfHoursReply(config, { direction: 'inbound', createdAt: '2026-11-24T09:00:00Z' })).toBeNull();
      expect(outOfHoursReply({ businessHours: null, outOfHoursReply: 'x' }, saturday)).toBeNull();
      expect(outOfHoursReply({ businessHours: madrid, outOfHoursReply: null }, saturday)).toBeNull();
      expect(outOfHoursReply(config, { ...saturday, direction: 'outbound' })).toBeNull();
    });
  });
});
