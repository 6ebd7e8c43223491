import { addBusinessSeconds, type BusinessHours } from './business-hours';

// SLA targets of a skill, per priority. An entry with `priority: null` is the default for every
// priority without its own entry; each metric falls back to the default separately.
export interface SlaTarget {
  priority: number | null;
  firstResponseSeconds?: number;
  nextResponseSeconds?: number;
  resolutionSeconds?: number;
}

export type SlaMetric = 'firstResponseSeconds' | 'nextResponseSeconds' | 'resolutionSeconds';

export function targetSeconds(targets: readonly SlaTarget[], priority: number, metric: SlaMetric): number | null {
  const exact = targets.find((t) => t.priority === priority);
  const fallback = targets.find((t) => t.priority === null);
  return exact?.[metric] ?? fallback?.[metric] ?? null;
}

// When a clock started at `start` for `metric` is due: counted in business time when the skill
// has business hours. Null when no target applies.
export function slaDue(targets: readonly SlaTarget[], hours: BusinessHours | null, priority: number, metric: SlaMetric, start: Date): Date | null {
  const seconds = targetSeconds(targets, priority, metric);
  return seconds === null ? null : addBusinessSeconds(hours, start, seconds);
}

// The SLA columns of a case.
export interface SlaClocks {
  firstResponseDueAt: Date | null;
  firstResponseBreachedAt: Date | null;
  firstRespondedAt: Date | null;
  nextResponseSince: Date | null;
  nextResponseDueAt: Date | null;
  nextResponseBreachedAt: Date | null;
  resolutionDueAt: Date | null;
  resolutionBreachedAt: Date | null;
  resolvedAt: Date | null;
  lastAgentReplyAt: Date | null;
}

const time = (d: Date | string | null | undefined): number | null => (d ? new Date(d).getTime() : null);

// An agent's reply to the customer at `at`: answers the first response (once) and the pending
// next response. A late answer stamps its breach with the due time it missed (the sweeper may
// not have seen it yet).
export function clocksOnAgentReply(c: SlaClocks, at: Date): Partial<SlaClocks> {
  const out: Partial<SlaClocks> = { lastAgentReplyAt: at };
  if (!c.firstRespondedAt) {
    out.firstRespondedAt = at;
    const due = time(c.firstResponseDueAt);
    if (due !== null && at.getTime() > due && !c.firstResponseBreachedAt) out.firstResponseBreachedAt = c.firstResponseDueAt;
  }
  if (c.nextResponseSince) {
    const due = time(c.nextResponseDueAt);
    if (due !== null && at.getTime() > due && !c.nextResponseBreachedAt) out.nextResponseBreachedAt = c.nextResponseDueAt;
    out.nextResponseSince = null;
    out.nextResponseDueAt = null;
  }
  return out;
}

// Resolved or closed at `at`: the resolution clock stops (stamped if late), no response is
// awaited any more.
export function clocksOnResolved(c: SlaClocks, at: Date): Partial<SlaClocks> {
  const out: Partial<SlaClocks> = { resolvedAt: at, nextResponseSince: null, nextResponseDueAt: null };
  const due = time(c.resolutionDueAt);
  if (due !== null && at.getTime() > due && !c.resolutionBreachedAt) out.resolutionBreachedAt = c.resolutionDueAt;
  return out;
}

// A customer message at `at` starts the next-response clock when we had answered, no clock is
// running and nothing of ours came after it; null when no clock starts.
export function nextResponseClock(c: SlaClocks, at: Date, due: (start: Date) => Date | null): Partial<SlaClocks> | null {
  if (!c.firstRespondedAt || c.nextResponseSince) return null;
  const lastReply = time(c.lastAgentReplyAt);
  if (lastReply !== null && lastReply >= at.getTime()) return null;
  return { nextResponseSince: at, nextResponseDueAt: due(at), nextResponseBreachedAt: null };
}
