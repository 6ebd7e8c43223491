import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext } from './lib/context';
import { startCluster } from './lib/pg-cluster';
import { killAllChildren, RESULTS_DIR } from './lib/server-process';
import { cpuCount, Failures, hasTaskset, log, pinSelf } from './lib/util';
import { runAssignment } from './scenarios/assignment';
import { runConnections } from './scenarios/connections';
import { runGrowth } from './scenarios/growth';
import { runIngest } from './scenarios/ingest';
import { runLatency } from './scenarios/latency';
import { runRender } from './scenarios/render';

// `npm run bench [-- --quick] [-- --only=ingest,latency] [-- --profile]`: one table on stdout,
// everything in bench/results/latest.json. Exits non-zero on a correctness failure.

const SCENARIOS = { ingest: runIngest, latency: runLatency, assignment: runAssignment, connections: runConnections, growth: runGrowth, render: runRender } as const;
type ScenarioName = keyof typeof SCENARIOS;

function machine(): Record<string, unknown> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown';
  let pg: string | null = null;
  try {
    pg = execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/ | sort -V | tail -1'], { encoding: 'utf8' }).trim();
  } catch {
    // none
  }
  return { nproc: cpuCount(), cpuModel: model, node: process.version, date: new Date().toISOString(), taskset: hasTaskset(), postgres: process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : pg, memTotalMb: Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024) };
}

function printTable(ctx: BenchContext, m: Record<string, unknown>): string {
  const header = ['scenario', 'metric', 'value'];
  const rows = ctx.rows.map((r) => [r.scenario, r.metric, r.value]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [
    `Parley bench (${ctx.quick ? 'quick' : 'full'}) — ${m.date}, ${m.nproc} × ${m.cpuModel}, node ${m.node}`,
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    ctx.failures.list.length ? `CORRECTNESS FAILURES:\n${ctx.failures.list.map((f) => `  - ${f}`).join('\n')}` : 'correctness: no lost or duplicated messages or events',
  ];
  return out.join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const profile = args.includes('--profile');
  const onlyArg = args.find((a) => a.startsWith('--only='));
  const only = onlyArg ? onlyArg.slice('--only='.length).split(',').map((s) => s.trim()).filter(Boolean) : Object.keys(SCENARIOS);
  for (const name of only) if (!(name in SCENARIOS)) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);

  const m = machine();
  const pinned = pinSelf(1);
  log(`mode=${quick ? 'quick' : 'full'} scenarios=${only.join(',')} load generator pinned to core 1: ${pinned}`);
  const started = Date.now();
  const cluster = await startCluster();
  const ctx: BenchContext = { quick, profile, cluster, failures: new Failures(), rows: [], results: {} };

  let stopping = false;
  const cleanup = async () => {
    if (stopping) return;
    stopping = true;
    killAllChildren();
    await cluster.stop().catch(() => undefined);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping servers and PostgreSQL`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  const errors: Record<string, string> = {};
  try {
    for (const name of only as ScenarioName[]) {
      const t0 = Date.now();
      log(`— ${name} —`);
      try {
        await SCENARIOS[name](ctx);
      } catch (error) {
        errors[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`${name} failed: ${errors[name]}`);
        ctx.rows.push({ scenario: name, metric: 'ERROR', value: (error instanceof Error ? error.message : String(error)).slice(0, 120) });
      }
      log(`${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await cleanup();
  }

  const table = printTable(ctx, m);
  process.stdout.write(`\n${table}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const result = { machine: m, mode: quick ? 'quick' : 'full', scenarios: only, durationSeconds: Math.round((Date.now() - started) / 1000), results: ctx.results, failures: ctx.failures.list, errors, table };
  writeFileSync(join(RESULTS_DIR, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
  log(`wrote bench/results/latest.json (${result.durationSeconds} s)`);
  if (ctx.failures.list.length) return 1;
  if (Object.keys(errors).length) return 2;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    killAllChildren();
    process.exit(2);
  },
);
