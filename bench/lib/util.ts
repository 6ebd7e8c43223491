import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function log(...parts: unknown[]): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${parts.map(String).join(' ')}\n`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// Nearest-rank percentile of an unsorted sample (sorted copy).
export function percentiles(values: number[], ps: number[]): Record<string, number | null> {
  const sorted = Float64Array.from(values).sort();
  const out: Record<string, number | null> = {};
  for (const p of ps) {
    const key = `p${String(p).replace('.', '_')}`;
    if (sorted.length === 0) out[key] = null;
    else out[key] = round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!, 3);
  }
  return out;
}

export function latencySummary(values: number[]): { n: number; p50: number | null; p99: number | null; p99_9: number | null; max: number | null; mean: number | null } {
  const p = percentiles(values, [50, 99, 99.9]);
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    if (v > max) max = v;
    sum += v;
  }
  return { n: values.length, p50: p.p50 ?? null, p99: p.p99 ?? null, p99_9: p.p99_9 ?? null, max: values.length ? round(max, 3) : null, mean: values.length ? round(sum / values.length, 3) : null };
}

export function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

// Least-squares slope of y over x.
export function slope(xs: number[], ys: number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

let tasksetChecked: boolean | undefined;
export function hasTaskset(): boolean {
  if (tasksetChecked === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      tasksetChecked = true;
    } catch {
      tasksetChecked = false;
    }
  }
  return tasksetChecked;
}

// Cores of the machine (not of this process's affinity mask, which pinSelf narrows).
let cores: number | undefined;
export function cpuCount(): number {
  if (cores === undefined) {
    try {
      cores = Number(execFileSync('nproc', ['--all'], { encoding: 'utf8' }).trim()) || 1;
    } catch {
      cores = 1;
    }
  }
  return cores;
}

// Pins the current process (the load generator) to one core, if it can.
export function pinSelf(core: number): boolean {
  if (!hasTaskset() || cpuCount() < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export class Failures {
  readonly list: string[] = [];
  add(scenario: string, message: string): void {
    this.list.push(`${scenario}: ${message}`);
    log(`CORRECTNESS FAILURE ${scenario}: ${message}`);
  }
}
