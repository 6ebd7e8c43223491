import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { type BenchContext, row } from '../lib/context';
import { httpRequest, json, makeAgent } from '../lib/http';
import { createAgents, setupParley, startParley } from '../lib/parley';
import { openAgentSockets } from '../lib/sockets';
import { latencySummary, log, round, sleep } from '../lib/util';
import { signedHeaders } from '../lib/workload';

// Push assignment latency: new cases arrive open loop at a fixed rate (each from a new customer,
// so each creates a case) while N available agents hold sockets; latency runs from the scheduled
// webhook send to the `case.updated` offering the case to an agent, as the admin socket sees it,
// and from the `case.created` event to that offer (routing's own share). Agents accept each
// offer and resolve the case, so capacity keeps being taken and freed as in a real shift.
// Hard checks: every acknowledged case offered, accepted by exactly one agent, no agent past
// capacity, every load back to zero.

interface CaseEvent {
  id: string;
  routing?: { state: string | null; offeredTo: string | null };
}

const CAPACITY = { chat: 1, messaging: 5, email: 5 };

export async function runAssignment(ctx: BenchContext): Promise<void> {
  const agentCount = ctx.quick ? 10 : 50;
  const total = ctx.quick ? 200 : 1000;
  const rate = ctx.quick ? 20 : 50;

  const db = await ctx.cluster.createDatabase('bench_assignment');
  const server = await startParley('parley-assignment', db);
  const http = makeAgent(64);
  const sockets: Socket[] = [];
  try {
    const setup = await setupParley(server);
    await json(setup.agent, server.url, 'PUT', '/api/v1/routing/settings', { capacity: CAPACITY }, setup.adminToken);
    const tokens = await createAgents(setup, agentCount, () => setup.skillId, 'router');
    const ids: string[] = [];
    for (const token of tokens) ids.push((await json(setup.agent, server.url, 'GET', '/api/v1/agents/me/state', undefined, token)).userId);

    const created = new Map<string, number>();
    const offered = new Map<string, number>();
    const offers = new Map<string, number>();
    const accepted = new Map<string, string>();
    const agentErrors: string[] = [];
    const admin = await openAgentSockets(server.url, [setup.adminToken], 1, 1, (s) => {
      s.on('case.created', (e: { data: CaseEvent }) => {
        if (!created.has(e.data.id)) created.set(e.data.id, performance.now());
      });
      s.on('case.updated', (e: { data: CaseEvent }) => {
        if (e.data.routing?.state !== 'offered') return;
        offers.set(e.data.id, (offers.get(e.data.id) ?? 0) + 1);
        if (!offered.has(e.data.id)) offered.set(e.data.id, performance.now());
      });
    });
    sockets.push(...admin.sockets);
    // Each agent works its own offers: accept, then resolve (capacity taken, then freed).
    const opened = await openAgentSockets(server.url, tokens, agentCount, 10, (s, i) => {
      const me = ids[i]!;
      const token = tokens[i]!;
      s.on('case.updated', (e: { data: CaseEvent }) => {
        if (e.data.routing?.state !== 'offered' || e.data.routing.offeredTo !== me) return;
        const caseId = e.data.id;
        void (async () => {
          const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
          const res = await httpRequest(http, server.url, 'POST', `/api/v1/cases/${caseId}/accept`, auth, '{}');
          if (res.status !== 200) return void agentErrors.push(`accept ${caseId}: ${res.status}`);
          accepted.set(caseId, me);
          const done = await httpRequest(http, server.url, 'PATCH', `/api/v1/cases/${caseId}`, auth, JSON.stringify({ status: 'resolved' }));
          if (done.status !== 200) agentErrors.push(`resolve ${caseId}: ${done.status}`);
        })().catch((error: unknown) => agentErrors.push(String(error)));
      });
    });
    sockets.push(...opened.sockets);
    if (admin.failed || opened.failed) throw new Error(`could not connect sockets: ${admin.firstError ?? opened.firstError}`);
    for (const token of tokens) await json(setup.agent, server.url, 'PUT', '/api/v1/agents/me/state', { state: 'available' }, token);
    log(`assignment: ${agentCount} available agents, ${total} cases at ${rate}/s`);

    const cpuBefore = (await server.stats()).cpuMs;
    const path = `/webhooks/${setup.channelId}`;
    const scheduled = new Map<string, number>();
    let errors = 0;
    let inFlight = 0;
    const start = performance.now() + 20;
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (sent < total && start + (sent * 1000) / rate <= now) {
          const at = start + (sent * 1000) / rate;
          const i = sent++;
          const raw = JSON.stringify({ type: 'message', messageId: `assign-${i}`, from: { id: `assign-customer-${i}` }, content: { text: `need help ${i}` } });
          inFlight++;
          httpRequest(http, server.url, 'POST', path, signedHeaders(setup.secret, raw), raw).then(
            (res) => {
              inFlight--;
              if (res.status !== 200) return void errors++;
              scheduled.set((JSON.parse(res.text) as { caseId: string }).caseId, at);
            },
            () => {
              inFlight--;
              errors++;
            },
          );
        }
        if (sent >= total) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (inFlight > 0 || [...scheduled.keys()].some((id) => !accepted.has(id)))) await sleep(50);
    await sleep(500);
    // Everything one case costs the server: ingest, offer, accept, resolve, their events.
    const cpuPerCase = round(((await server.stats()).cpuMs - cpuBefore) / Math.max(1, scheduled.size), 2);

    const webhookToOffer: number[] = [];
    const createdToOffer: number[] = [];
    for (const [id, at] of scheduled) {
      const o = offered.get(id);
      if (o === undefined) continue;
      webhookToOffer.push(o - at);
      const c = created.get(id);
      if (c !== undefined) createdToOffer.push(o - c);
    }
    const notOffered = [...scheduled.keys()].filter((id) => !offered.has(id)).length;
    const reOffered = [...offers.values()].filter((n) => n > 1).length;
    const notAccepted = [...scheduled.keys()].filter((id) => !accepted.has(id)).length;

    // The database's own account: one assignment per case, every load back to zero.
    let wrongAssignments = 0;
    for (const id of scheduled.keys()) {
      const history = (await json(setup.agent, server.url, 'GET', `/api/v1/cases/${id}/assignments`, undefined, setup.adminToken)) as { items: unknown[] };
      if (history.items.length !== 1) wrongAssignments++;
    }
    const agents = (await json(setup.agent, server.url, 'GET', '/api/v1/agents', undefined, setup.adminToken)) as { items: Array<{ load: Record<string, number>; capacity: Record<string, number> }> };
    const leftLoad = agents.items.reduce((sum, a) => sum + Object.values(a.load).reduce((x, y) => x + y, 0), 0);

    if (notOffered) ctx.failures.add('assignment', `${notOffered} acknowledged cases never offered`);
    if (notAccepted) ctx.failures.add('assignment', `${notAccepted} cases never accepted`);
    if (wrongAssignments) ctx.failures.add('assignment', `${wrongAssignments} cases without exactly one assignment`);
    if (leftLoad) ctx.failures.add('assignment', `agent loads not back to zero (${leftLoad} left)`);
    if (agentErrors.length) ctx.failures.add('assignment', `agent requests failed: ${agentErrors.slice(0, 3).join('; ')}`);

    const w = latencySummary(webhookToOffer);
    const c = latencySummary(createdToOffer);
    ctx.results.assignment = { agents: agentCount, cases: total, rate, acknowledged: scheduled.size, errors, notOffered, reOffered, notAccepted, wrongAssignments, webhookToOfferMs: w, createdToOfferMs: c, serverCpuMsPerCase: cpuPerCase };
    row(ctx, 'assignment', `${agentCount} agents, ${rate}/s: webhook→offered p50/p99/max ms`, `${w.p50} / ${w.p99} / ${w.max}`);
    row(ctx, 'assignment', `${agentCount} agents, ${rate}/s: case.created→offered p50/p99/max ms`, `${c.p50} / ${c.p99} / ${c.max}`);
    row(ctx, 'assignment', 'server CPU ms per case (ingest, offer, accept, resolve)', cpuPerCase);
    row(ctx, 'assignment', 'cases sent / offered / accepted once / re-offered', `${total} / ${scheduled.size - notOffered} / ${scheduled.size - wrongAssignments} / ${reOffered}${errors ? ` (${errors} non-200)` : ''}`);
    log(`assignment: webhook→offered p50 ${w.p50} ms, p99 ${w.p99} ms; created→offered p50 ${c.p50} ms, p99 ${c.p99} ms; mean ${round(w.mean ?? 0, 1)} ms`);
  } finally {
    for (const s of sockets) s.close();
    http.destroy();
    await server.stop();
  }
}
