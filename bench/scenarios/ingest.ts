import { mkdirSync, rmSync } from 'node:fs';
import type { Agent } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { type BenchContext, row } from '../lib/context';
import { summarizeProfiles } from '../lib/cpuprofile';
import { httpRequest, makeAgent } from '../lib/http';
import { setupParley, startParley } from '../lib/parley';
import { RESULTS_DIR, type ServerHandle, spawnServer } from '../lib/server-process';
import { latencySummary, log, round } from '../lib/util';
import { type Outgoing, signedHeaders, Workload } from '../lib/workload';

// Ingest throughput: B0 (naive), B1 (micro-batched ceiling) and Parley, each in its own process
// pinned to core 0, driven alternately in short closed-loop rounds with the same load from core 1.

interface Target {
  name: 'B0' | 'B1' | 'Parley';
  server: ServerHandle;
  databaseUrl: string;
  workload: Workload;
  agent: Agent;
  // messageId → stored id of every acknowledged original.
  ids: Map<string, string>;
  messages: number;
  seconds: number;
  cpuMs: number;
  dbCpuMs: number | null;
  errors: number;
  wrongDuplicateFlag: number;
  latencies: number[];
  roundRates: number[];
}

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

async function closedLoop(ctx: BenchContext, t: Target, path: string, secret: string, durationMs: number, record: boolean): Promise<number> {
  const end = performance.now() + durationMs;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const o: Outgoing = t.workload.next();
      const t0 = performance.now();
      let status = 0;
      let text = '';
      try {
        const res = await httpRequest(t.agent, t.server.url, 'POST', path, signedHeaders(secret, o.raw), o.raw);
        status = res.status;
        text = res.text;
      } catch (error) {
        text = String(error);
      }
      const ms = performance.now() - t0;
      done++;
      if (status !== 200) {
        t.errors++;
        if (t.errors <= 3) log(`${t.name}: webhook answered ${status} ${text.slice(0, 200)}`);
        continue;
      }
      const body = JSON.parse(text) as { id: string; duplicate: boolean };
      if (o.replayOf === null) {
        if (body.duplicate !== false) t.wrongDuplicateFlag++;
        t.ids.set(o.messageId, String(body.id));
        t.workload.acknowledged(o);
      } else if (body.duplicate !== true || String(body.id) !== t.ids.get(o.replayOf)) {
        t.wrongDuplicateFlag++;
        if (t.wrongDuplicateFlag <= 3) log(`${t.name}: replay of ${o.replayOf} answered ${text}`);
      }
      if (record) t.latencies.push(ms);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  void ctx;
  return done;
}

export async function runIngest(ctx: BenchContext): Promise<void> {
  const roundMs = ctx.quick ? 3000 : 10_000;
  const rounds = ctx.quick ? 2 : 5;
  const profileDir = join(RESULTS_DIR, 'profiles');
  if (ctx.profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }

  const dbs = {
    B0: await ctx.cluster.createDatabase('bench_b0'),
    B1: await ctx.cluster.createDatabase('bench_b1'),
    Parley: await ctx.cluster.createDatabase('bench_parley'),
  };
  const parley = await startParley('parley-ingest', dbs.Parley, ctx.profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {});
  const setup = await setupParley(parley);
  const path = `/webhooks/${setup.channelId}`;
  const baseline = (name: string, file: string, url: string) =>
    spawnServer({ name, script: join(__dirname, '..', 'baselines', file), core: 0, env: { DATABASE_URL: url, BENCH_SECRET: setup.secret } });
  const b0 = await baseline('b0-naive', 'b0-naive.js', dbs.B0);
  const b1 = await baseline('b1-batched', 'b1-batched.js', dbs.B1);

  const make = (name: Target['name'], server: ServerHandle): Target => ({
    name,
    server,
    databaseUrl: dbs[name],
    workload: new Workload(`ing-${name}`),
    agent: makeAgent(CONCURRENCY),
    ids: new Map(),
    messages: 0,
    seconds: 0,
    cpuMs: 0,
    dbCpuMs: ctx.cluster.cpuMs() === null ? null : 0,
    errors: 0,
    wrongDuplicateFlag: 0,
    latencies: [],
    roundRates: [],
  });
  const targets = [make('B0', b0), make('B1', b1), make('Parley', parley)];
  try {
    log(`ingest: warm-up, then ${rounds} rounds × ${roundMs / 1000} s per server, ${CONCURRENCY} connections`);
    for (const t of targets) await closedLoop(ctx, t, path, setup.secret, ctx.quick ? 1000 : 3000, false);
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so no server always runs right after the same neighbour.
      const order = r % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const before = await t.server.stats();
        const dbBefore = ctx.cluster.cpuMs();
        const t0 = performance.now();
        const n = await closedLoop(ctx, t, path, setup.secret, roundMs, true);
        const seconds = (performance.now() - t0) / 1000;
        const after = await t.server.stats();
        const dbAfter = ctx.cluster.cpuMs();
        t.messages += n;
        t.seconds += seconds;
        t.cpuMs += after.cpuMs - before.cpuMs;
        if (t.dbCpuMs !== null && dbBefore !== null && dbAfter !== null) t.dbCpuMs += dbAfter - dbBefore;
        t.roundRates.push(round(n / seconds, 1));
        log(`ingest round ${r + 1} ${t.name}: ${Math.round(n / seconds)} msg/s, ${round((after.cpuMs - before.cpuMs) / n, 3)} CPU ms/msg`);
      }
    }

    // Stored exactly once: every acknowledged original is in the table once, nothing else is.
    const out: Record<string, unknown> = {};
    for (const t of targets) {
      const db = new Client({ connectionString: t.databaseUrl });
      await db.connect();
      let stored: { n: number; distinct: number; cases?: number };
      if (t.name === 'Parley') {
        const [m] = (await db.query('SELECT count(*)::int AS n, count(DISTINCT provider_message_id)::int AS distinct FROM messages WHERE channel_id = $1', [setup.channelId])).rows;
        const [c] = (await db.query('SELECT count(*)::int AS n FROM cases WHERE channel_id = $1', [setup.channelId])).rows;
        stored = { n: m.n, distinct: m.distinct, cases: c.n };
      } else {
        const [m] = (await db.query('SELECT count(*)::int AS n, count(DISTINCT provider_message_id)::int AS distinct FROM inbound_messages')).rows;
        stored = { n: m.n, distinct: m.distinct };
      }
      await db.end();
      const acked = t.ids.size;
      if (stored.n !== stored.distinct) ctx.failures.add('ingest', `${t.name}: ${stored.n - stored.distinct} messages stored twice`);
      if (stored.distinct < acked) ctx.failures.add('ingest', `${t.name}: ${acked - stored.distinct} acknowledged messages not stored`);
      if (t.wrongDuplicateFlag) ctx.failures.add('ingest', `${t.name}: ${t.wrongDuplicateFlag} answers with a wrong duplicate flag or id`);
      const rate = t.messages / t.seconds;
      out[t.name] = {
        messagesPerSec: round(rate, 1),
        roundRates: t.roundRates,
        cpuMsPerMessage: round(t.cpuMs / t.messages, 4),
        dbCpuMsPerMessage: t.dbCpuMs === null ? null : round(t.dbCpuMs / t.messages, 4),
        requests: t.messages,
        errors: t.errors,
        acknowledgedOriginals: acked,
        replays: t.workload.originals > 0 ? t.messages - acked - t.errors : 0,
        stored,
        requestLatencyMs: latencySummary(t.latencies),
      };
    }
    const [rB0, rB1, rP] = targets.map((t) => out[t.name] as { messagesPerSec: number; cpuMsPerMessage: number; dbCpuMsPerMessage: number | null; requestLatencyMs: { p50: number; p99: number }; errors: number; stored: { cases?: number } });
    const ratios = {
      throughputParleyOverB0: round(rP!.messagesPerSec / rB0!.messagesPerSec, 3),
      throughputParleyOverB1: round(rP!.messagesPerSec / rB1!.messagesPerSec, 3),
      cpuPerMsgParleyOverB0: round(rP!.cpuMsPerMessage / rB0!.cpuMsPerMessage, 3),
      cpuPerMsgParleyOverB1: round(rP!.cpuMsPerMessage / rB1!.cpuMsPerMessage, 3),
    };
    ctx.parleyMaxRate = rP!.messagesPerSec;
    ctx.results.ingest = { concurrency: CONCURRENCY, rounds, roundSeconds: roundMs / 1000, contacts: 1000, duplicateShare: 0.05, servers: out, ratios };
    for (const [name, r] of [['B0', rB0], ['B1', rB1], ['Parley', rP]] as const) {
      row(ctx, 'ingest', `${name} msg/s (closed loop, ${CONCURRENCY} conns)`, r!.messagesPerSec);
      row(ctx, 'ingest', `${name} server CPU ms/msg (DB CPU ms/msg)`, `${r!.cpuMsPerMessage} (${r!.dbCpuMsPerMessage ?? 'n/a'})`);
      row(ctx, 'ingest', `${name} request p50 / p99 ms`, `${r!.requestLatencyMs.p50} / ${r!.requestLatencyMs.p99}`);
      if (r!.errors) row(ctx, 'ingest', `${name} non-200 answers`, r!.errors);
    }
    row(ctx, 'ingest', 'Parley cases created', rP!.stored.cases);
    row(ctx, 'ingest', 'throughput Parley/B0, Parley/B1', `${ratios.throughputParleyOverB0}× / ${ratios.throughputParleyOverB1}×`);
    row(ctx, 'ingest', 'CPU per msg Parley/B0, Parley/B1', `${ratios.cpuPerMsgParleyOverB0}× / ${ratios.cpuPerMsgParleyOverB1}×`);
  } finally {
    for (const t of targets) {
      t.agent.destroy();
      await t.server.stop();
    }
    setup.agent.destroy();
  }
  if (ctx.profile) {
    const summary = summarizeProfiles(profileDir, join(__dirname, '..', '..', '..'));
    (ctx.results.ingest as Record<string, unknown>).parleyProfile = summary;
    const show = (title: string, list: Array<{ where: string; sharePct: number }>, n: number) => {
      log(title);
      for (const h of list.slice(0, n)) log(`  ${h.sharePct.toFixed(1).padStart(5)}%  ${h.where}`);
    };
    log(`Parley ingest CPU profile: ${summary.busySamples} busy samples (idle ${summary.idleSharePct}% of the process lifetime); shares of busy time`);
    show('self time by function:', summary.selfByFunction, 20);
    show('self time by package:', summary.selfByPackage, 15);
    show('inclusive time, project functions:', summary.inclusiveProjectFunctions, 20);
    show('inclusive time by package:', summary.inclusiveByPackage, 15);
  }
}
