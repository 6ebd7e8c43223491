import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { type BenchContext, row } from '../lib/context';
import { httpRequest, json, makeAgent } from '../lib/http';
import { createAgents, setupParley, startParley } from '../lib/parley';
import { openAgentSockets } from '../lib/sockets';
import { latencySummary, log, round, sleep } from '../lib/util';
import { Workload } from '../lib/workload';

// End-to-end latency, webhook sent → `message.created` received by an agent socket, at fixed
// arrival rates, open loop (each webhook leaves at its scheduled time whatever the previous ones
// did; latency counts from the scheduled time, so queueing in the generator is not hidden).
// Hard check: every acknowledged message reaches every socket entitled to it exactly once.

interface Listener {
  socket: Socket;
  label: string;
  counts: Map<string, number>;
}

const TEXT_ID = /^bench (\S+):/;

export async function runLatency(ctx: BenchContext): Promise<void> {
  const socketCount = ctx.quick ? 50 : 500;
  const agentUsers = ctx.quick ? 5 : 50;
  const durationMs = ctx.quick ? 5000 : 10_000;
  const rates: Array<{ label: string; rate: number }> = [{ label: '100/s', rate: 100 }];
  if (!ctx.quick) {
    rates.push({ label: '1000/s', rate: 1000 });
    if (ctx.parleyMaxRate) rates.push({ label: `80% of max (${Math.round(ctx.parleyMaxRate)}/s)`, rate: Math.max(1, Math.round(ctx.parleyMaxRate * 0.8)) });
    else log('latency: no measured Parley max (run with ingest) — skipping the 80% rate');
  }

  const db = await ctx.cluster.createDatabase('bench_latency');
  const server = await startParley('parley-latency', db);
  const sockets: Socket[] = [];
  const http = makeAgent(256);
  try {
    // BYOC only: the provider mix is the ingest scenario's.
    const setup = await setupParley(server);
    // Agents spread over 10 queues; only the first agent user works the channel's skill, so a
    // realistic minority of sockets receives each event (plus the admin, who sees everything).
    const otherSkills: string[] = [];
    for (let i = 1; i < 10; i++) otherSkills.push((await json(setup.agent, server.url, 'POST', '/api/v1/skills', { name: `queue-${i}` }, setup.adminToken)).id);
    const tokens = await createAgents(setup, agentUsers, (i) => (i === 0 ? setup.skillId : otherSkills[(i - 1) % otherSkills.length]!));
    const listeners: Listener[] = [];
    const adminReceipt = new Map<string, number>();
    // Socket 0: the admin (every event); the rest: agents round-robin over the agent users.
    const socketTokens = [setup.adminToken, ...tokens];
    const opened = await openAgentSockets(server.url, socketTokens, 1, 1, (s) => {
      const l: Listener = { socket: s, label: 'admin', counts: new Map() };
      listeners.push(l);
      s.on('message.created', (e: { data: { message: { content: { text?: string } } } }) => {
        const id = TEXT_ID.exec(e.data.message.content.text ?? '')?.[1];
        if (!id) return;
        if (!adminReceipt.has(id)) adminReceipt.set(id, performance.now());
        l.counts.set(id, (l.counts.get(id) ?? 0) + 1);
      });
    });
    sockets.push(...opened.sockets);
    const agentOpened = await openAgentSockets(server.url, tokens, socketCount - 1, 50, (s, i) => {
      if (i % tokens.length !== 0) return; // not in the channel's queue: receives nothing
      const l: Listener = { socket: s, label: `agent socket ${i}`, counts: new Map() };
      listeners.push(l);
      s.on('message.created', (e: { data: { message: { content: { text?: string } } } }) => {
        const id = TEXT_ID.exec(e.data.message.content.text ?? '')?.[1];
        if (id) l.counts.set(id, (l.counts.get(id) ?? 0) + 1);
      });
    });
    sockets.push(...agentOpened.sockets);
    if (opened.failed || agentOpened.failed) throw new Error(`could not connect agent sockets: ${opened.firstError ?? agentOpened.firstError}`);
    log(`latency: ${sockets.length} agent sockets connected, ${listeners.length} of them entitled to every message`);

    const out: Record<string, unknown> = {};
    for (const { label, rate } of rates) {
      const wl = new Workload({ prefix: `lat${rate}`, channels: setup.channels, publicUrl: server.url, contacts: 1000, duplicateShare: 0.05, seed: 7 });
      const scheduled = new Map<string, number>();
      const ids = new Map<string, string>();
      let errors = 0;
      let wrongDup = 0;
      let inFlight = 0;
      const ackLatencies: number[] = [];
      const total = Math.round((rate * durationMs) / 1000);
      const start = performance.now() + 20;
      let sent = 0;
      await new Promise<void>((resolve) => {
        const tick = () => {
          const now = performance.now();
          while (sent < total && start + (sent * 1000) / rate <= now) {
            const at = start + (sent * 1000) / rate;
            sent++;
            const o = wl.next();
            if (o.replayOf === null) scheduled.set(o.messageId, at);
            inFlight++;
            httpRequest(http, server.url, 'POST', o.path, o.headers, o.raw).then(
              (res) => {
                inFlight--;
                ackLatencies.push(performance.now() - at);
                if (res.status !== 200) {
                  errors++;
                  if (o.replayOf === null) scheduled.delete(o.messageId);
                  return;
                }
                const body = JSON.parse(res.text) as { id: string; duplicate: boolean };
                if (o.replayOf === null) {
                  if (body.duplicate) wrongDup++;
                  ids.set(o.messageId, body.id);
                  wl.acknowledged(o);
                } else if (!body.duplicate || body.id !== ids.get(o.replayOf)) wrongDup++;
              },
              () => {
                inFlight--;
                errors++;
                if (o.replayOf === null) scheduled.delete(o.messageId);
              },
            );
          }
          if (sent >= total) resolve();
          else setTimeout(tick, 1);
        };
        tick();
      });
      const sendSeconds = (performance.now() - start) / 1000;
      // Drain: every acknowledged message should reach the admin socket.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (inFlight > 0 || [...ids.keys()].some((id) => !adminReceipt.has(id)))) await sleep(50);
      await sleep(500); // late duplicates, if any, would arrive now
      const latencies: number[] = [];
      for (const id of ids.keys()) {
        const got = adminReceipt.get(id);
        if (got !== undefined) latencies.push(got - scheduled.get(id)!);
      }
      let lost = 0;
      let duplicated = 0;
      for (const l of listeners) {
        for (const id of ids.keys()) {
          const n = l.counts.get(id) ?? 0;
          if (n === 0) lost++;
          else if (n > 1) duplicated++;
        }
        for (const [id, n] of l.counts) if (id.startsWith(`lat${rate}-`) && !ids.has(id) && n > 0) duplicated++;
      }
      const summary = latencySummary(latencies);
      const ack = latencySummary(ackLatencies);
      out[label] = { rate, sent, acknowledged: ids.size, replays: sent - ids.size - errors, errors, sendSeconds: round(sendSeconds, 2), listeners: listeners.length, lostDeliveries: lost, duplicatedDeliveries: duplicated, wrongDuplicateFlag: wrongDup, latencyMs: summary, webhookAckMs: ack };
      if (lost) ctx.failures.add('latency', `${label}: ${lost} (socket, message) deliveries missing`);
      if (duplicated) ctx.failures.add('latency', `${label}: ${duplicated} (socket, message) deliveries duplicated or unexpected`);
      if (wrongDup) ctx.failures.add('latency', `${label}: ${wrongDup} webhook answers with a wrong duplicate flag`);
      row(ctx, 'latency', `${label}: webhook→message.created p50/p99/p99.9/max ms`, `${summary.p50} / ${summary.p99} / ${summary.p99_9} / ${summary.max}`);
      row(ctx, 'latency', `${label}: webhook 200 answer p50/p99/max ms`, `${ack.p50} / ${ack.p99} / ${ack.max}`);
      row(ctx, 'latency', `${label}: sent / acked / lost / duplicated (${listeners.length} listening sockets)`, `${sent} / ${ids.size} / ${lost} / ${duplicated}${errors ? ` (${errors} non-200)` : ''}`);
      log(`latency ${label}: p50 ${summary.p50} ms, p99 ${summary.p99} ms, max ${summary.max} ms; lost ${lost}, duplicated ${duplicated}, errors ${errors}`);
    }
    ctx.results.latency = { sockets: sockets.length, agentUsers, listeners: listeners.length, durationSeconds: durationMs / 1000, rates: out };
    row(ctx, 'latency', 'agent sockets connected', sockets.length);
  } finally {
    for (const s of sockets) s.close();
    http.destroy();
    await server.stop();
  }
}
