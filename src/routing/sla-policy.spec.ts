import type { BusinessHours } from './business-hours';
import { slaDue, type SlaTarget, targetSeconds } from './sla-policy';

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
