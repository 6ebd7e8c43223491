import type { PgCluster } from './pg-cluster';
import type { Failures } from './util';

export interface Row {
  scenario: string;
  metric: string;
  value: string;
}

export interface BenchContext {
  quick: boolean;
  profile: boolean;
  cluster: PgCluster;
  failures: Failures;
  rows: Row[];
  results: Record<string, unknown>;
  // Parley's measured closed-loop max (messages/s), for the latency scenario's 80% rate.
  parleyMaxRate?: number;
}

export function row(ctx: BenchContext, scenario: string, metric: string, value: string | number | null | undefined): void {
  ctx.rows.push({ scenario, metric, value: value === null || value === undefined ? 'n/a' : String(value) });
}
