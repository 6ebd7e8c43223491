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
