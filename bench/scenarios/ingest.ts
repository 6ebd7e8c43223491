import { mkdirSync, rmSync } from 'node:fs';
import type { Agent } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { type BenchContext, row } from '../lib/context';
import { summarizeProfiles } from '../lib/cpuprofile';
import { httpRequest, makeAgent, type Res } from '../lib/http';
import { setupParley, startParley } from '../lib/parley';
import { startProviderFake } from '../lib/provider-fake';
import { RESULTS_DIR, type ServerHandle, spawnServer } from '../lib/server-process';
import { freePort, latencySummary, log, round } from '../lib/util';
import { PROVIDER_LABELS, PROVIDERS, type Provider } from '../lib/webhook-formats';
import { type Outgoing, Workload } from '../lib/workload';

// Ingest throughput: B0 (naive), B1 (micro-batched ceiling) and Parley, each in its own process
// pinned to core 0, driven alternately in short closed-loop rounds with the same load from core 1:
// signed webhooks of WhatsApp Cloud, Twilio SMS, Telegram, Slack and BYOC, one channel each.

interface Acked {
  provider: Provider;
  channelId: string;
  providerMessageId: string;
  // The stored id the server answered; null where the answer carries none (Twilio's TwiML).
  id: string | null;
}

interface Tally {
  originals: number;
  replays: number;
  errors: number;
  // 200 answers of the wrong form: a JSON answer with the wrong duplicate flag or id, a Twilio
  // answer that is not TwiML.
  wrongAnswers: number;
}

interface Target {
  name: 'B0' | 'B1' | 'Parley';
  server: ServerHandle;
  databaseUrl: string;
  workload: Workload;
  agent: Agent;
  // messageId → every acknowledged original.
  acked: Map<string, Acked>;
  tally: Record<Provider, Tally>;
  messages: number;
  seconds: number;
  cpuMs: number;
  dbCpuMs: number | null;
  errors: number;
  latencies: number[];
  roundRates: number[];
}

interface StoredCount {
  rows: number;
  distinct: number;
  lost: number;
  duplicated: number;
  // Stored without a 200 for it (the API stores nothing on a non-2xx).
  unacknowledgedStored: number;
  cases?: number;
}

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CONTACTS = 1000;
const DUPLICATE_SHARE = 0.05;

// What the server answered, as the provider would read it. Twilio expects TwiML; every other
// provider gets Parley's JSON {id, caseId, duplicate}. Null: not the expected form.
function readAnswer(provider: Provider, res: Res): { id: string | null; duplicate: boolean | null } | null {
  if (provider === 'sms') {
    return res.contentType?.startsWith('text/xml') && res.text.includes('<Response/>') ? { id: null, duplicate: null } : null;
  }
  try {
    const body = JSON.parse(res.text) as { id?: unknown; duplicate?: unknown };
    if (typeof body.duplicate !== 'boolean' || body.id === undefined || body.id === null) return null;
    return { id: String(body.id), duplicate: body.duplicate };
  } catch {
    return null;
  }
}

async function closedLoop(t: Target, durationMs: number, record: boolean): Promise<number> {
  const end = performance.now() + durationMs;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const o: Outgoing = t.workload.next();
      const tally = t.tally[o.provider];
      if (o.replayOf === null) tally.originals++;
      else tally.replays++;
      const t0 = performance.now();
      let res: Res | null = null;
      let failure = '';
      try {
        res = await httpRequest(t.agent, t.server.url, 'POST', o.path, o.headers, o.raw);
      } catch (error) {
        failure = String(error);
      }
      const ms = performance.now() - t0;
      done++;
      if (res?.status !== 200) {
        t.errors++;
        tally.errors++;
        if (t.errors <= 3) log(`${t.name}: ${o.provider} webhook answered ${res?.status ?? 'nothing'} ${(res?.text ?? failure).slice(0, 200)}`);
        continue;
      }
      const answer = readAnswer(o.provider, res);
      let wrong = answer === null;
      if (o.replayOf === null) {
        if (answer?.duplicate === true) wrong = true;
        t.acked.set(o.messageId, { provider: o.provider, channelId: o.channelId, providerMessageId: o.providerMessageId, id: answer?.id ?? null });
        t.workload.acknowledged(o);
      } else if (answer?.duplicate === false || (answer !== null && answer.id !== t.acked.get(o.replayOf)?.id)) {
        wrong = true;
      }
      if (wrong) {
        tally.wrongAnswers++;
        if (tally.wrongAnswers <= 3) log(`${t.name}: ${o.provider} ${o.replayOf === null ? 'original' : `redelivery of ${o.replayOf}`} answered ${res.contentType} ${res.text.slice(0, 200)}`);
      }
      if (record) t.latencies.push(ms);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done;
}

// Every acknowledged original stored once, per channel: Parley's messages (unique on channel and
// provider message id) or the baselines' inbound_messages.
async function countStored(t: Target, channelId: string): Promise<StoredCount> {
  const db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    const table = t.name === 'Parley' ? 'messages' : 'inbound_messages';
    const ids = (await db.query<{ id: string }>(`SELECT provider_message_id AS id FROM ${table} WHERE channel_id = $1 AND provider_message_id IS NOT NULL`, [channelId])).rows.map((r) => r.id);
    const stored = new Set(ids);
    let lost = 0;
    let found = 0;
    for (const a of t.acked.values()) {
      if (a.channelId !== channelId) continue;
      if (stored.has(a.providerMessageId)) found++;
      else lost++;
    }
    const count: StoredCount = { rows: ids.length, distinct: stored.size, lost, duplicated: ids.length - stored.size, unacknowledgedStored: stored.size - found };
    if (t.name === 'Parley') count.cases = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE channel_id = $1', [channelId])).rows[0]!.n;
    return count;
  } finally {
    await db.end();
  }
}

const pct = (part: number, whole: number) => (whole === 0 ? 0 : round((100 * part) / whole, 1));

export async function runIngest(ctx: BenchContext): Promise<void> {
  const roundMs = ctx.quick ? 3000 : 10_000;
  const rounds = ctx.quick ? 2 : 5;
  const profileDir = join(RESULTS_DIR, 'profiles');
  const parleyWindows: Array<[number, number]> = [];
  if (ctx.profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }

  const dbs = {
    B0: await ctx.cluster.createDatabase('bench_b0'),
    B1: await ctx.cluster.createDatabase('bench_b1'),
    Parley: await ctx.cluster.createDatabase('bench_parley'),
  };
  const fake = await startProviderFake();
  const started: ServerHandle[] = [];
  const targets: Target[] = [];
  let setupAgent: Agent | undefined;
  try {
    const parley = await startParley('parley-ingest', dbs.Parley, ctx.profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {});
    started.push(parley);
    const setup = await setupParley(parley, { providerApi: fake.baseUrl });
    setupAgent = setup.agent;
    const setupCalls = fake.calls.length;
    // The baselines serve the same channel ids (and secrets, B1), on their own public URL.
    const baseline = async (name: string, file: string, url: string) => {
      const port = await freePort();
      const server = await spawnServer({
        name,
        script: join(__dirname, '..', 'baselines', file),
        core: 0,
        env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: url, BENCH_CHANNELS: JSON.stringify(setup.channels) },
      });
      started.push(server);
      return server;
    };
    const b0 = await baseline('b0-naive', 'b0-naive.js', dbs.B0);
    const b1 = await baseline('b1-batched', 'b1-batched.js', dbs.B1);

    const make = (name: Target['name'], server: ServerHandle): Target => ({
      name,
      server,
      databaseUrl: dbs[name],
      // Same seed: the three servers get the same sequence of messages.
      workload: new Workload({ prefix: `ing-${name}`, channels: setup.channels, publicUrl: server.url, contacts: CONTACTS, duplicateShare: DUPLICATE_SHARE }),
      agent: makeAgent(CONCURRENCY),
      acked: new Map(),
      tally: Object.fromEntries(PROVIDERS.map((p) => [p, { originals: 0, replays: 0, errors: 0, wrongAnswers: 0 }])) as Record<Provider, Tally>,
      messages: 0,
      seconds: 0,
      cpuMs: 0,
      dbCpuMs: ctx.cluster.cpuMs() === null ? null : 0,
      errors: 0,
      latencies: [],
      roundRates: [],
    });
    targets.push(make('B0', b0), make('B1', b1), make('Parley', parley));

    log(`ingest: ${setup.channels.map((c) => c.provider).join(', ')}; warm-up, then ${rounds} rounds × ${roundMs / 1000} s per server, ${CONCURRENCY} connections`);
    for (const t of targets) await closedLoop(t, ctx.quick ? 1000 : 3000, false);
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so no server always runs right after the same neighbour.
      const order = r % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const before = await t.server.stats();
        const dbBefore = ctx.cluster.cpuMs();
        const t0 = performance.now();
        const from = Number(process.hrtime.bigint() / 1000n);
        const n = await closedLoop(t, roundMs, true);
        if (t.name === 'Parley') parleyWindows.push([from, Number(process.hrtime.bigint() / 1000n)]);
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
    // Calls to the providers' APIs while ingesting (creation's setWebhook excluded): the
    // workload is plain text, so none is expected.
    const hotPathCalls = fake.calls.slice(setupCalls);
    log(`ingest: provider API calls during ingest: ${hotPathCalls.length}${hotPathCalls.length ? ` (${[...new Set(hotPathCalls.map((c) => `${c.method} ${c.path}`))].join(', ')})` : ''}`);

    const out: Record<string, unknown> = {};
    const requestsBy = Object.fromEntries(PROVIDERS.map((p) => [p, 0])) as Record<Provider, number>;
    let allRequests = 0;
    let allReplays = 0;
    for (const t of targets) {
      const perProvider: Record<string, unknown> = {};
      let cases = 0;
      const requests = PROVIDERS.reduce((sum, p) => sum + t.tally[p].originals + t.tally[p].replays, 0);
      for (const channel of setup.channels) {
        const p = channel.provider;
        const tally = t.tally[p];
        const stored = await countStored(t, channel.channelId);
        const acknowledged = [...t.acked.values()].filter((a) => a.channelId === channel.channelId).length;
        cases += stored.cases ?? 0;
        requestsBy[p] += tally.originals + tally.replays;
        allRequests += tally.originals + tally.replays;
        allReplays += tally.replays;
        const label = PROVIDER_LABELS[p];
        if (stored.duplicated) ctx.failures.add('ingest', `${t.name} ${label}: ${stored.duplicated} messages stored twice`);
        if (stored.lost) ctx.failures.add('ingest', `${t.name} ${label}: ${stored.lost} acknowledged messages not stored`);
        if (tally.wrongAnswers) ctx.failures.add('ingest', `${t.name} ${label}: ${tally.wrongAnswers} answers of the wrong form, duplicate flag or id`);
        perProvider[p] = { requests: tally.originals + tally.replays, sharePct: pct(tally.originals + tally.replays, requests), ...tally, acknowledgedOriginals: acknowledged, stored };
      }
      const rate = t.messages / t.seconds;
      out[t.name] = {
        messagesPerSec: round(rate, 1),
        roundRates: t.roundRates,
        cpuMsPerMessage: round(t.cpuMs / t.messages, 4),
        dbCpuMsPerMessage: t.dbCpuMs === null ? null : round(t.dbCpuMs / t.messages, 4),
        // Measured rounds only; the tallies below count the warm-up too.
        requests: t.messages,
        errors: t.errors,
        acknowledgedOriginals: t.acked.size,
        replays: PROVIDERS.reduce((sum, p) => sum + t.tally[p].replays, 0),
        ...(t.name === 'Parley' && { casesCreated: cases }),
        perProvider,
        requestLatencyMs: latencySummary(t.latencies),
      };
    }
    const [rB0, rB1, rP] = targets.map((t) => out[t.name] as { messagesPerSec: number; cpuMsPerMessage: number; dbCpuMsPerMessage: number | null; requestLatencyMs: { p50: number; p99: number }; errors: number; casesCreated?: number });
    const ratios = {
      throughputParleyOverB0: round(rP!.messagesPerSec / rB0!.messagesPerSec, 3),
      throughputParleyOverB1: round(rP!.messagesPerSec / rB1!.messagesPerSec, 3),
      cpuPerMsgParleyOverB0: round(rP!.cpuMsPerMessage / rB0!.cpuMsPerMessage, 3),
      cpuPerMsgParleyOverB1: round(rP!.cpuMsPerMessage / rB1!.cpuMsPerMessage, 3),
    };
    const mix = {
      providers: setup.channels.map((c) => c.provider),
      // Every request of the three servers, warm-up included; redeliveries count with their provider.
      sharePct: Object.fromEntries(setup.channels.map((c) => [c.provider, pct(requestsBy[c.provider], allRequests)])),
      redeliveriesPct: pct(allReplays, allRequests),
    };
    ctx.parleyMaxRate = rP!.messagesPerSec;
    ctx.results.ingest = {
      concurrency: CONCURRENCY,
      rounds,
      roundSeconds: roundMs / 1000,
      contacts: CONTACTS,
      duplicateShare: DUPLICATE_SHARE,
      mix,
      providerApiCallsDuringIngest: hotPathCalls,
      servers: out,
      ratios,
    };
    row(ctx, 'ingest', 'request mix (share per provider; redeliveries)', `${setup.channels.map((c) => `${PROVIDER_LABELS[c.provider]} ${mix.sharePct[c.provider]}%`).join(', ')}; ${mix.redeliveriesPct}% redelivered`);
    for (const [name, r] of [['B0', rB0], ['B1', rB1], ['Parley', rP]] as const) {
      row(ctx, 'ingest', `${name} msg/s (closed loop, ${CONCURRENCY} conns)`, r!.messagesPerSec);
      row(ctx, 'ingest', `${name} server CPU ms/msg (DB CPU ms/msg)`, `${r!.cpuMsPerMessage} (${r!.dbCpuMsPerMessage ?? 'n/a'})`);
      row(ctx, 'ingest', `${name} request p50 / p99 ms`, `${r!.requestLatencyMs.p50} / ${r!.requestLatencyMs.p99}`);
      if (r!.errors) row(ctx, 'ingest', `${name} non-200 answers`, r!.errors);
    }
    row(ctx, 'ingest', 'Parley cases created', rP!.casesCreated);
    row(ctx, 'ingest', 'throughput Parley/B0, Parley/B1', `${ratios.throughputParleyOverB0}× / ${ratios.throughputParleyOverB1}×`);
    row(ctx, 'ingest', 'CPU per msg Parley/B0, Parley/B1', `${ratios.cpuPerMsgParleyOverB0}× / ${ratios.cpuPerMsgParleyOverB1}×`);
    if (hotPathCalls.length) row(ctx, 'ingest', 'provider API calls while ingesting (fake)', hotPathCalls.length);
  } finally {
    for (const t of targets) t.agent.destroy();
    for (const server of started) await server.stop();
    setupAgent?.destroy();
    await fake.close();
  }
  if (ctx.profile) {
    // Only Parley's measured rounds (the profile also covers start-up and warm-up).
    const summary = summarizeProfiles(profileDir, join(__dirname, '..', '..', '..'), 25, parleyWindows);
    (ctx.results.ingest as Record<string, unknown>).parleyProfile = summary;
    const show = (title: string, list: Array<{ where: string; sharePct: number }>, n: number) => {
      log(title);
      for (const h of list.slice(0, n)) log(`  ${h.sharePct.toFixed(1).padStart(5)}%  ${h.where}`);
    };
    log(`Parley ingest CPU profile: ${summary.busySamples} busy samples (idle ${summary.idleSharePct}% of the measured rounds); shares of busy time`);
    show('self time by function:', summary.selfByFunction, 20);
    show('self time by package:', summary.selfByPackage, 15);
    show('inclusive time, project functions:', summary.inclusiveProjectFunctions, 20);
    show('inclusive time by package:', summary.inclusiveByPackage, 15);
  }
}
