import type { BusinessHours } from './business-hours';
import { clocksOnAgentReply, clocksOnResolved, nextResponseClock, type SlaClocks, slaDue, type SlaTarget, targetSeconds } from './sla-policy';

describe('SLA policy', () => {
  const targets: SlaTarget[] = [
    { priority: null, firstResponseSeconds: 3600, nextResponseSeconds: 7200, resolutionSeconds: 86400 },
    { priority: 10, firstResponseSeconds: 300 },
  ];

  it('takes the entry of the case priority, metric by metric, else the default', () => {
    expect(targetSeconds(targets, 10, 'firstResponseSeconds')).toBe(300);
    expect(targetSeconds(targets, 10, 'resolutionSeconds')).toBe(86400);
    expect(targetSeconds(targets, 0, 'firstResponseSeconds')).toBe(3600);
    expect(targetSeconds([{ priority: 5, resolutionSeconds: 60 }], 0, 'resolutionSeconds')).toBeNull();
    expect(targetSeconds([], 0, 'firstResponseSeconds')).toBeNull();
  });

  it('computes due dates, in business time when the skill has hours', () => {
    const start = new Date('2026-11-24T16:58:00Z');
    expect(slaDue(targets, null, 10, 'firstResponseSeconds', start)?.toISOString()).toBe('2026-11-24T17:03:00.000Z');
    const hours: BusinessHours = { timezone: 'UTC', holidays: [], weekly: [2, 3].map((day) => ({ day, open: '09:00', close: '17:00' })) };
    expect(slaDue(targets, hours, 10, 'firstResponseSeconds', start)?.toISOString()).toBe('2026-11-25T09:03:00.000Z');
    expect(slaDue(targets, hours, 10, 'nextResponseSeconds', start)?.toISOString()).toBe('2026-11-25T10:58:00.000Z');
    expect(slaDue([], hours, 10, 'nextResponseSeconds', start)).toBeNull();
  });
});

describe('SLA clocks', () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 24, 10, minutes));
  const clocks = (overrides: Partial<SlaClocks> = {}): SlaClocks => ({
    firstResponseDueAt: at(10),
    firstResponseBreachedAt: null,
    firstRespondedAt: null,
    nextResponseSince: null,
    nextResponseDueAt: null,
    nextResponseBreachedAt: null,
    resolutionDueAt: at(60),
    resolutionBreachedAt: null,
    resolvedAt: null,
    lastAgentReplyAt: null,
    ...overrides,
  });

  it('a first reply in time answers the first response without a breach', () => {
    expect(clocksOnAgentReply(clocks(), at(5))).toEqual({ lastAgentReplyAt: at(5), firstRespondedAt: at(5) });
  });

  it('a late first reply stamps the breach with the missed due time, once', () => {
    expect(clocksOnAgentReply(clocks(), at(12))).toEqual({ lastAgentReplyAt: at(12), firstRespondedAt: at(12), firstResponseBreachedAt: at(10) });
    expect(clocksOnAgentReply(clocks({ firstResponseBreachedAt: at(10) }), at(12))).toEqual({ lastAgentReplyAt: at(12), firstRespondedAt: at(12) });
  });

  it('a reply stops the running next-response clock, stamping it when late', () => {
    const waiting = clocks({ firstRespondedAt: at(1), nextResponseSince: at(20), nextResponseDueAt: at(25) });
    expect(clocksOnAgentReply(waiting, at(22))).toEqual({ lastAgentReplyAt: at(22), nextResponseSince: null, nextResponseDueAt: null });
    expect(clocksOnAgentReply(waiting, at(30))).toEqual({ lastAgentReplyAt: at(30), nextResponseSince: null, nextResponseDueAt: null, nextResponseBreachedAt: at(25) });
  });

  it('a customer message starts the next-response clock only after our answer and when none runs', () => {
    const due = (start: Date) => new Date(start.getTime() + 60_000);
    expect(nextResponseClock(clocks(), at(3), due)).toBeNull();
    const answered = clocks({ firstRespondedAt: at(2), lastAgentReplyAt: at(2) });
    expect(nextResponseClock(answered, at(3), due)).toEqual({ nextResponseSince: at(3), nextResponseDueAt: at(4), nextResponseBreachedAt: null });
    expect(nextResponseClock({ ...answered, nextResponseSince: at(3) }, at(4), due)).toBeNull();
    // Our reply committed after this message: nothing is awaited.
    expect(nextResponseClock({ ...answered, lastAgentReplyAt: at(5) }, at(4), due)).toBeNull();
  });

  it('resolution stops the clock, stamped when late, and nothing is awaited any more', () => {
    expect(clocksOnResolved(clocks({ nextResponseSince: at(3), nextResponseDueAt: at(4) }), at(30))).toEqual({ resolvedAt: at(30), nextResponseSince: null, nextResponseDueAt: null });
    expect(clocksOnResolved(clocks(), at(61))).toEqual({ resolvedAt: at(61), nextResponseSince: null, nextResponseDueAt: null, resolutionBreachedAt: at(60) });
  });
});
