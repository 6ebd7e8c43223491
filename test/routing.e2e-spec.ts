import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { Client } from 'pg';
import { createTransport } from 'nodemailer';
import { emailFixture, withHeaders } from '../channels/email/email.fixtures';
import { slackFixture } from '../channels/slack/slack.fixtures';
import { slackSignatureHeaders } from '../channels/slack/slack.signature';
import { AgentStateService } from '../src/routing/agent-state.service';
import { DispatcherService } from '../src/routing/dispatcher.service';
import { SlackApiFake } from './fakes/slack-api.fake';
import { SmtpSink } from './fakes/smtp-sink.fake';
import { AgentSocket } from './support/agent-socket';
import { BackgroundLoops } from './support/background-loops';
import { ByocIntegrator, waitFor } from './support/byoc-integrator';
import { tearDown, withCleanup } from './support/cleanup';
import { type Agent, caseOf, checkInvariants, createAgent, db, goAvailable, offeredTo, peakConcurrentHolds } from './support/routing-helpers';
import { dropDatabase, freePort, type Http, type HttpResponse, startApp, type TestApp } from './support/test-app';

// Issue 7, Routing, over HTTP and socket.io on the real database: agent states and presence,
// queues, capacity per channel family, push / manual / round-robin assignment, no-answer,
// transfers with history, live socket rooms, business hours and SLA clocks, and assignment
// under concurrency. Each test works on its own skill(s), so queues never mix.
const GRACE_MS = 1500;
const SLACK_SECRET = 'routing-e2e-slack-signing-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// One pass of agent `a` over their offers, on their own instance `app`: accept, then resolve.
// Any other answer fails the test, with what the server logged about it.
async function workOffers(app: TestApp, a: Agent): Promise<void> {
  const { http } = app;
  const list = (await http.get('/api/v1/cases?status=new,open&limit=100', a.token)).body.items as Array<{ id: string; routing: { state: string; offeredTo: string } }>;
  for (const c of list.filter((x) => x.routing.state === 'offered' && x.routing.offeredTo === a.id)) {
    const accepted = await http.post(`/api/v1/cases/${c.id}/accept`, {}, a.token);
    if (accepted.status !== 200) throw unexpected(app, 'accept', accepted);
    const resolved = await http.patch(`/api/v1/cases/${c.id}`, { status: 'resolved' }, a.token);
    if (resolved.status !== 200) throw unexpected(app, 'resolve', resolved);
  }
}

function unexpected(app: TestApp, what: string, res: HttpResponse): Error {
  const logged = res.status >= 500 ? app.errors().slice(-3) : [];
  return new Error(`${what}: ${res.status} ${res.text}${logged.length ? `\nserver errors:\n${logged.join('\n')}` : ''}`);
}

// One reading of every agent's load against their capacity; what is over goes to `violations`.
async function sampleCapacity(http: Http, admin: string, violations: string[]): Promise<void> {
  const items = (await http.get('/api/v1/agents', admin)).body.items as Array<{ user: { id: string }; load: Record<string, number>; capacity: Record<string, number> }>;
  for (const a of items) for (const f of Object.keys(a.load)) if (a.load[f]! > a.capacity[f]!) violations.push(`${a.user.id} ${f} ${a.load[f]}/${a.capacity[f]}`);
}

// `team` works its offers and the capacity watcher samples, in the background, until stopped.
function startWorking(loops: BackgroundLoops, team: Agent[], home: (i: number) => TestApp, admin: string, violations: string[]): void {
  team.forEach((a, i) => loops.loop(`agent ${a.email}`, () => workOffers(home(i), a), 50));
  loops.loop('capacity watch', () => sampleCapacity(home(0).http, admin, violations), 100);
}

describe('Routing', () => {
  let t: TestApp;
  let admin: string;
  const byoc = new ByocIntegrator();
  const slack = new SlackApiFake();
  const smtp = new SmtpSink();
  let smtpPort: number;
  const sockets: AgentSocket[] = [];
  let n = 0;

  const skill = async (name: string, routing: Record<string, unknown> = {}): Promise<string> => {
    const id = (await t.http.post('/api/v1/skills', { name: `${name}-${++n}` }, admin)).body.id as string;
    if (Object.keys(routing).length) {
      const res = await t.http.patch(`/api/v1/skills/${id}`, routing, admin);
      if (res.status !== 200) throw new Error(`skill routing: ${res.status} ${res.text}`);
    }
    return id;
  };
  const byocChannel = async (skillId: string): Promise<string> => {
    const res = await t.http.post('/api/v1/channels', { type: 'byoc', name: `byoc-${++n}`, defaultSkillId: skillId, config: { callbackUrl: await callbackUrl } }, admin);
    channelSecrets.set(res.body.id, res.body.secret);
    return res.body.id as string;
  };
  const channelSecrets = new Map<string, string>();
  let callbackUrl: Promise<string>;
  // A new customer (so a new case) unless `from` is given.
  const inbound = async (channelId: string, from = `customer-${++n}`, text = `hello ${n}`): Promise<string> => {
    const res = await byoc.send(t.http, channelId, { type: 'message', messageId: `m-${++n}`, from: { id: from, name: from }, content: { text } }, { secret: channelSecrets.get(channelId) });
    if (res.status !== 200) throw new Error(`inbound: ${res.status} ${res.text}`);
    return res.body.caseId as string;
  };
  const agent = async (skills: Array<[string, number]>, options: { capacity?: Record<string, number>; role?: string; name?: string } = {}): Promise<Agent> =>
    createAgent(t.http, admin, skills.map(([skillId, proficiency]) => ({ skillId, proficiency })), options);
  const available = async (a: Agent): Promise<Agent> => {
    await goAvailable(t.url, t.http, a);
    sockets.push(a.socket!);
    return a;
  };
  const put = (path: string, body: unknown, token: string) => t.http.request('PUT', path, { body, token });
  const post = (path: string, token: string, body: unknown = {}) => t.http.post(path, body, token);
  const state = async (a: Agent) => (await t.http.get('/api/v1/agents/me/state', a.token)).body;
  const accept = async (caseId: string, a: Agent) => {
    await offeredTo(t.http, admin, caseId, a.id);
    const res = await post(`/api/v1/cases/${caseId}/accept`, a.token);
    if (res.status !== 200) throw new Error(`accept: ${res.status} ${res.text}`);
    return res.body;
  };
  const settled = () => t.app.get(DispatcherService).idle();
  const messages = async (caseId: string) => (await t.http.get(`/api/v1/cases/${caseId}/messages?limit=200`, admin)).body.items as any[];
  // A Slack message from a new user: a chat-family case.
  const slackInbound = async (channelId: string): Promise<string> => {
    const envelope = JSON.parse(slackFixture('slack-event-message.json').toString('utf8'));
    envelope.event_id = `EvRouting${++n}`;
    envelope.event = { ...envelope.event, user: `U0ROUTE${n}`, ts: `17943${String(10000 + n)}.000100`, thread_ts: undefined, parent_user_id: undefined, client_msg_id: undefined, blocks: undefined, text: `chat ${n}` };
    const raw = Buffer.from(JSON.stringify(envelope));
    const res = await t.http.request('POST', `/webhooks/${channelId}`, { raw, headers: { 'content-type': 'application/json', ...slackSignatureHeaders(SLACK_SECRET, raw) } });
    if (res.status !== 200) throw new Error(`slack inbound: ${res.status} ${res.text}`);
    return res.body.caseId as string;
  };

  before(async () => {
    smtpPort = await freePort();
    t = await startApp({ env: { AGENT_OFFLINE_GRACE_MS: String(GRACE_MS), ROUTING_SWEEP_MS: '200', SMTP_PORT: String(smtpPort) } });
    admin = await t.http.login();
    callbackUrl = byoc.listen();
    await slack.listen();
    await smtp.listen();
  });
  after(() =>
    tearDown([
      ['close the agent sockets', () => sockets.forEach((s) => s.close())],
      ['close the integrator', () => byoc.close()],
      ['close the Slack fake', () => slack.close()],
      ['stop the app', () => t?.stop()],
      ['close the SMTP sink', () => smtp.close()],
    ]),
  );

  it('records every state change with its source, pushes agent.state, and checks idle reason codes', async () => {
    const s = await skill('states');
    const reasons = await t.http.get('/api/v1/idle-reasons', admin);
    expect(reasons.body.items).toContainEqual({ code: 'no_answer', label: 'No answer', system: true });
    expect((await post('/api/v1/idle-reasons', admin, { code: 'lunch', label: 'Lunch' })).status).toBe(201);
    expect((await post('/api/v1/idle-reasons', admin, { code: 'lunch', label: 'Again' })).status).toBe(409);
    expect((await post('/api/v1/idle-reasons', admin, { code: 'Bad Code', label: 'x' })).status).toBe(400);
    expect((await t.http.delete('/api/v1/idle-reasons/no_answer', admin)).status).toBe(409);

    const a = await agent([[s, 10]]);
    const supervisor = await agent([], { role: 'supervisor' });
    expect((await post('/api/v1/idle-reasons', a.token, { code: 'nap', label: 'Nap' })).status).toBe(403);
    const watcher = new AgentSocket(t.url, supervisor.token);
    sockets.push(watcher);
    await watcher.connected();

    expect(await state(a)).toMatchObject({ userId: a.id, state: 'offline', reasonCode: null, source: 'system' });
    const toAvailable = await put('/api/v1/agents/me/state', { state: 'available' }, a.token);
    expect(toAvailable.status).toBe(200);
    expect(toAvailable.body).toEqual({ userId: a.id, state: 'available', reasonCode: null, source: 'agent', since: expect.any(String) });
    const pushed = await waitFor(() => watcher.of('agent.state').find((e) => e.data.userId === a.id && e.data.state === 'available'), 5000, 'agent.state');
    expect(pushed.data).toEqual(toAvailable.body);

    const missing = await put('/api/v1/agents/me/state', { state: 'unavailable' }, a.token);
    expect(missing.status).toBe(400);
    expect(missing.body.details[0].field).toBe('reasonCode');
    expect((await put('/api/v1/agents/me/state', { state: 'unavailable', reasonCode: 'sleeping' }, a.token)).status).toBe(400);
    expect((await put('/api/v1/agents/me/state', { state: 'offline' }, a.token)).status).toBe(400);
    expect((await put('/api/v1/agents/me/state', { state: 'unavailable', reasonCode: 'lunch' }, a.token)).body).toMatchObject({ state: 'unavailable', reasonCode: 'lunch', source: 'agent' });

    expect((await put(`/api/v1/agents/${supervisor.id}/state`, { state: 'available' }, a.token)).status).toBe(403);
    const bySupervisor = await put(`/api/v1/agents/${a.id}/state`, { state: 'available' }, supervisor.token);
    expect(bySupervisor.body).toMatchObject({ state: 'available', source: 'supervisor' });
    await waitFor(() => watcher.of('agent.state').some((e) => e.data.userId === a.id && e.data.source === 'supervisor'), 5000, 'supervisor change pushed');

    // Teams presence sync is one more source, and gives back only what it took.
    const states = t.app.get(AgentStateService);
    const tenantId = (await t.http.get(`/api/v1/users/${a.id}`, admin)).body.tenantId;
    await post('/api/v1/idle-reasons', admin, { code: 'teams_dnd', label: 'Do not disturb (Teams)' });
    expect(await states.set(tenantId, a.id, { state: 'unavailable', reasonCode: 'teams_dnd' }, 'teams')).toMatchObject({ state: 'unavailable', source: 'teams' });
    await put(`/api/v1/agents/${a.id}/state`, { state: 'unavailable', reasonCode: 'lunch' }, supervisor.token);
    expect(await states.set(tenantId, a.id, { state: 'available' }, 'teams', { onlyIfSource: 'teams' })).toMatchObject({ state: 'unavailable', reasonCode: 'lunch', source: 'supervisor' });
    await states.set(tenantId, a.id, { state: 'unavailable', reasonCode: 'teams_dnd' }, 'teams');
    expect(await states.set(tenantId, a.id, { state: 'available' }, 'teams', { onlyIfSource: 'teams' })).toMatchObject({ state: 'available', source: 'teams' });

    const list = await t.http.get('/api/v1/agents', supervisor.token);
    expect(list.status).toBe(200);
    expect(list.body.items.find((i: { user: { id: string } }) => i.user.id === a.id)).toEqual({
      user: { id: a.id, name: expect.any(String), email: a.email, role: 'agent' },
      state: expect.objectContaining({ state: 'available', source: 'teams' }),
      load: { chat: 0, messaging: 0, email: 0 },
      capacity: { chat: 1, messaging: 3, email: 5 },
      skills: [{ skillId: s, proficiency: 10 }],
    });
    expect((await t.http.get('/api/v1/agents', a.token)).status).toBe(403);
  });

  it('takes an agent offline after the grace period without a socket, and gives the state back on reconnect', async () => {
    const a = await agent([[await skill('presence'), 10]]);
    const watcher = new AgentSocket(t.url, admin);
    sockets.push(watcher);
    await watcher.connected();
    await goAvailable(t.url, t.http, a);
    a.socket!.close();
    const offline = await waitFor(async () => {
      const s = await state(a);
      return s.state === 'offline' && s;
    }, GRACE_MS + 10_000, 'offline');
    expect(offline).toMatchObject({ state: 'offline', reasonCode: null, source: 'system' });
    await waitFor(() => watcher.of('agent.state').some((e) => e.data.userId === a.id && e.data.state === 'offline'), 5000, 'offline pushed');

    const again = new AgentSocket(t.url, a.token);
    sockets.push(again);
    await again.connected();
    expect(await waitFor(async () => {
      const s = await state(a);
      return s.state === 'available' && s;
    }, 5000, 'back to available')).toMatchObject({ state: 'available', source: 'system' });

    // Made available over REST without ever connecting: offline once the grace period is over.
    const restOnly = await agent([]);
    await put('/api/v1/agents/me/state', { state: 'available' }, restOnly.token);
    await waitFor(async () => (await state(restOnly)).state === 'offline', GRACE_MS + 10_000, 'REST-only agent offline');
  });

  it('keeps each skill queue in priority then age order, with positions, length and oldest wait', async () => {
    const s = await skill('queue');
    const other = await skill('queue-other');
    const channelId = await byocChannel(s);
    const first = await inbound(channelId);
    const second = await inbound(channelId);
    const urgent = await inbound(channelId);
    expect((await caseOf(t.http, admin, first)).routing).toEqual({ state: 'queued', offeredTo: null, offerExpiresAt: null, queuedAt: expect.any(String) });
    expect((await t.http.patch(`/api/v1/cases/${urgent}`, { priority: 5 }, admin)).status).toBe(200);

    const res = await t.http.get(`/api/v1/queues?skillId=${s}`, admin);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const queue = res.body.items[0];
    expect(queue).toMatchObject({ skillId: s, skillName: expect.stringContaining('queue'), routingMode: 'push', length: 3, offered: 0, oldestWaitSeconds: expect.any(Number) });
    expect(queue.cases.map((c: { caseId: string; position: number; priority: number }) => [c.caseId, c.position, c.priority])).toEqual([
      [urgent, 1, 5],
      [first, 2, 0],
      [second, 3, 0],
    ]);

    // Agents see the queues of their skills only.
    const inQueue = await agent([[s, 5]]);
    const elsewhere = await agent([[other, 5]]);
    expect((await t.http.get('/api/v1/queues', inQueue.token)).body.items.map((q: { skillId: string }) => q.skillId)).toEqual([s]);
    expect((await t.http.get(`/api/v1/queues?skillId=${s}`, elsewhere.token)).body.items).toEqual([]);
    expect((await t.http.get('/api/v1/queues?limit=1', admin)).body.items.find((q: { skillId: string }) => q.skillId === s).cases).toHaveLength(1);
  });

  it('pushes each case to the most proficient available agent, then the longest idle; accept assigns, decline tries others first', async () => {
    const s = await skill('push');
    const channelId = await byocChannel(s);
    const expert = await available(await agent([[s, 18]]));
    const first = await available(await agent([[s, 10]]));
    const second = await available(await agent([[s, 10]]));

    const a = await inbound(channelId);
    const offer = await offeredTo(t.http, admin, a, expert.id);
    expect(offer.routing).toEqual({ state: 'offered', offeredTo: expert.id, offerExpiresAt: expect.any(String), queuedAt: expect.any(String) });
    expect(offer.assigneeId).toBeNull();
    // The offer reaches the agent as case.updated.
    await waitFor(() => expert.socket!.of('case.updated').some((e) => e.data.id === a && e.data.routing.state === 'offered' && e.data.routing.offeredTo === expert.id), 5000, 'offer event');
    expect((await post(`/api/v1/cases/${a}/accept`, first.token)).status).toBe(409);
    const accepted = await post(`/api/v1/cases/${a}/accept`, expert.token);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ id: a, assigneeId: expert.id, routing: { state: 'assigned', offeredTo: null, offerExpiresAt: null, queuedAt: null } });
    expect((await post(`/api/v1/cases/${a}/accept`, expert.token)).status).toBe(409);

    // The expert takes a break: equal proficiency, the longest idle (available first) gets it.
    await put('/api/v1/agents/me/state', { state: 'unavailable', reasonCode: 'lunch' }, expert.token);
    const b = await inbound(channelId);
    await offeredTo(t.http, admin, b, first.id);
    expect((await post(`/api/v1/cases/${b}/accept`, first.token)).status).toBe(200);
    // `first` was just offered a case: now `second` is the longest idle.
    const c = await inbound(channelId);
    await offeredTo(t.http, admin, c, second.id);
    const declined = await post(`/api/v1/cases/${c}/decline`, second.token);
    expect(declined.status).toBe(200);
    // Declined: offered to the others first.
    await offeredTo(t.http, admin, c, first.id);
    expect((await t.http.get(`/api/v1/cases/${c}/assignments`, admin)).body.items).toEqual([]);
    expect((await t.http.get(`/api/v1/cases/${a}/assignments`, admin)).body.items).toEqual([
      { agentId: expert.id, agentName: expect.any(String), skillId: s, from: expect.any(String), to: null, reason: 'push', note: null },
    ]);
    await checkInvariants(t, t.http, admin);
  });
  it('counts capacity per channel family, with tenant defaults and per-agent overrides', async () => {
    const s = await skill('capacity');
    const byocId = await byocChannel(s);
    const slackChannel = await t.http.post('/api/v1/channels', { type: 'slack', name: 'slack', defaultSkillId: s, config: { botToken: 'xoxb-routing-bot', signingSecret: SLACK_SECRET, apiBaseUrl: slack.apiBaseUrl } }, admin);
    expect(slackChannel.status).toBe(201);
    const a = await available(await agent([[s, 10]], { capacity: { messaging: 2 } }));
    const m1 = await inbound(byocId);
    const m2 = await inbound(byocId);
    const m3 = await inbound(byocId);
    await accept(m1, a);
    await accept(m2, a);
    // Full on messaging: the third waits although the agent is available…
    await settled();
    expect((await caseOf(t.http, admin, m3)).routing.state).toBe('queued');
    // …while a chat-like case still reaches them.
    const chat = await slackInbound(slackChannel.body.id);
    expect((await caseOf(t.http, admin, chat)).channelType).toBe('slack');
    await accept(chat, a);
    const mine = (await t.http.get('/api/v1/agents', admin)).body.items.find((i: { user: { id: string } }) => i.user.id === a.id);
    expect(mine).toMatchObject({ load: { chat: 1, messaging: 2, email: 0 }, capacity: { chat: 1, messaging: 2, email: 5 } });
    // A supervisor cannot push them over capacity either.
    const forced = await t.http.patch(`/api/v1/cases/${m3}`, { assigneeId: a.id }, admin);
    expect(forced.status).toBe(409);
    expect(forced.body.code).toBe('AT_CAPACITY');
    // Resolving a case frees capacity: the waiting case is offered at once.
    expect((await t.http.patch(`/api/v1/cases/${m1}`, { status: 'resolved' }, a.token)).body.routing.state).toBeNull();
    await offeredTo(t.http, admin, m3, a.id);

    // Tenant defaults, and the override removed.
    expect((await t.http.get('/api/v1/routing/settings', admin)).body).toEqual({ capacity: { chat: 1, messaging: 3, email: 5 } });
    expect((await put('/api/v1/routing/settings', { capacity: { chat: 2, messaging: -1, email: 6 } }, admin)).status).toBe(400);
    expect((await put('/api/v1/routing/settings', { capacity: { chat: 2, messaging: 4, email: 6 } }, a.token)).status).toBe(403);
    expect((await put('/api/v1/routing/settings', { capacity: { chat: 2, messaging: 4, email: 6 } }, admin)).body).toEqual({ capacity: { chat: 2, messaging: 4, email: 6 } });
    const cleared = await t.http.patch(`/api/v1/users/${a.id}`, { capacity: null }, admin);
    expect(cleared.body.capacity).toBeNull();
    expect((await t.http.get('/api/v1/agents', admin)).body.items.find((i: { user: { id: string } }) => i.user.id === a.id).capacity).toEqual({ chat: 2, messaging: 4, email: 6 });
    expect((await t.http.patch(`/api/v1/users/${a.id}`, { capacity: { fax: 1 } }, admin)).status).toBe(400);
    await put('/api/v1/routing/settings', { capacity: { chat: 1, messaging: 3, email: 5 } }, admin);
    await checkInvariants(t, t.http, admin);
  });

  it('manual queues: nothing is pushed, agents pick, the first pick wins and the others get 409', async () => {
    const s = await skill('manual', { routingMode: 'manual' });
    const channelId = await byocChannel(s);
    const pickers = await Promise.all([1, 2, 3, 4].map(() => agent([[s, 10]])));
    await available(pickers[0]!);
    const c = await inbound(channelId);
    await settled();
    expect((await caseOf(t.http, admin, c)).routing.state).toBe('queued');
    const results = await Promise.all(pickers.map((p) => post(`/api/v1/cases/${c}/pick`, p.token)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = pickers[results.findIndex((r) => r.status === 200)]!;
    expect(results.find((r) => r.status === 200)!.body).toMatchObject({ assigneeId: winner.id, routing: { state: 'assigned' } });
    expect((await t.http.get(`/api/v1/cases/${c}/assignments`, winner.token)).body.items).toEqual([expect.objectContaining({ agentId: winner.id, reason: 'pick', to: null })]);

    const full = await agent([[s, 10]], { capacity: { messaging: 0 } });
    const other = await inbound(channelId);
    const refused = await post(`/api/v1/cases/${other}/pick`, full.token);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('AT_CAPACITY');
    const pushed = await skill('not-manual');
    const pushedCase = await inbound(await byocChannel(pushed));
    const wrongMode = await post(`/api/v1/cases/${pushedCase}/pick`, admin);
    expect(wrongMode.status).toBe(409);
    await checkInvariants(t, t.http, admin);
  });

  it('round robin: cases rotate over the agents, whatever their proficiency', async () => {
    const s = await skill('rr', { routingMode: 'round_robin' });
    const channelId = await byocChannel(s);
    const team = [await agent([[s, 1]], { capacity: { messaging: 10 } }), await agent([[s, 20]], { capacity: { messaging: 10 } }), await agent([[s, 10]], { capacity: { messaging: 10 } })];
    for (const a of team) await available(a);
    const got: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await inbound(channelId);
      const offered = await waitFor(async () => {
        const x = await caseOf(t.http, admin, c);
        return x.routing.state === 'offered' && x;
      }, 15_000, 'offered');
      got.push(offered.routing.offeredTo);
      const holder = team.find((a) => a.id === offered.routing.offeredTo)!;
      expect((await post(`/api/v1/cases/${c}/accept`, holder.token)).status).toBe(200);
      if (i === 0) expect((await t.http.get(`/api/v1/cases/${c}/assignments`, admin)).body.items[0].reason).toBe('round_robin');
    }
    expect(new Set(got.slice(0, 3)).size).toBe(3);
    expect(got.slice(3)).toEqual(got.slice(0, 3));
  });

  it('no answer: an expired offer goes back to the queue and the agent becomes unavailable (no_answer, system)', async () => {
    const s = await skill('rona', { offerTimeoutSeconds: 1 });
    const channelId = await byocChannel(s);
    const silent = await available(await agent([[s, 20]]));
    const c = await inbound(channelId);
    const offer = await offeredTo(t.http, admin, c, silent.id);
    expect(Date.parse(offer.routing.offerExpiresAt)).toBeGreaterThan(Date.parse(offer.updatedAt));
    const after = await waitFor(async () => {
      const x = await state(silent);
      return x.state === 'unavailable' && x;
    }, 15_000, 'no answer');
    expect(after).toMatchObject({ state: 'unavailable', reasonCode: 'no_answer', source: 'system' });
    await waitFor(() => silent.socket!.of('agent.state').some((e) => e.data.userId === silent.id && e.data.reasonCode === 'no_answer'), 5000, 'no_answer pushed');
    const back = await caseOf(t.http, admin, c);
    // Back in the queue, in its old place.
    expect(back.routing).toEqual({ state: 'queued', offeredTo: null, offerExpiresAt: null, queuedAt: offer.routing.queuedAt });
    expect((await post(`/api/v1/cases/${c}/accept`, silent.token)).status).toBe(409);
    const next = await available(await agent([[s, 1]]));
    await offeredTo(t.http, admin, c, next.id);
    await checkInvariants(t, t.http, admin);
  });

  it('transfers to a skill and to an agent with a note; the assignments history shows who held the case when', async () => {
    const sales = await skill('sales');
    const billing = await skill('billing');
    const channelId = await byocChannel(sales);
    const seller = await available(await agent([[sales, 10]], { name: 'Sam Seller' }));
    const biller = await available(await agent([[billing, 10]], { name: 'Bea Biller' }));
    const supervisor = await agent([], { role: 'supervisor', name: 'Sue Supervisor' });
    const c = await inbound(channelId);
    await accept(c, seller);

    expect((await post(`/api/v1/cases/${c}/transfer`, biller.token, { toSkillId: billing })).status).toBe(404);
    expect((await post(`/api/v1/cases/${c}/transfer`, seller.token, {})).status).toBe(400);
    expect((await post(`/api/v1/cases/${c}/transfer`, seller.token, { toAgentId: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
    const toSkill = await post(`/api/v1/cases/${c}/transfer`, seller.token, { toSkillId: billing, note: 'Refund question' });
    expect(toSkill.status).toBe(200);
    expect(toSkill.body).toMatchObject({ skillId: billing, assigneeId: null, routing: { state: 'queued' } });
    // The seller's open view drops the case: the change reaches the agent it was taken from.
    await waitFor(() => seller.socket!.of('case.updated').some((e) => e.data.id === c && e.data.assigneeId === null && e.data.skillId === billing), 5000, 'former assignee told');
    await accept(c, biller);

    const toAgent = await post(`/api/v1/cases/${c}/transfer`, supervisor.token, { toAgentId: seller.id, note: 'Back to sales' });
    expect(toAgent.body).toMatchObject({ assigneeId: seller.id, routing: { state: 'assigned' } });
    const history = (await t.http.get(`/api/v1/cases/${c}/assignments`, seller.token)).body.items;
    expect(history).toEqual([
      { agentId: seller.id, agentName: 'Sam Seller', skillId: sales, from: expect.any(String), to: expect.any(String), reason: 'push', note: null },
      { agentId: biller.id, agentName: 'Bea Biller', skillId: billing, from: expect.any(String), to: expect.any(String), reason: 'push', note: 'Refund question' },
      { agentId: seller.id, agentName: 'Sam Seller', skillId: billing, from: expect.any(String), to: null, reason: 'transfer', note: 'Back to sales' },
    ]);
    expect(Date.parse(history[0].to)).toBeLessThanOrEqual(Date.parse(history[1].from));
    expect(Date.parse(history[1].to)).toBeLessThanOrEqual(Date.parse(history[2].from));
    const notes = (await messages(c)).filter((m) => m.author.type === 'system');
    expect(notes.map((m) => [m.internal, m.content.text])).toEqual([
      [true, expect.stringMatching(/Sam Seller transferred this case from Sam Seller to the billing-\d+ queue\. Note: Refund question/)],
      [true, expect.stringMatching(/Sue Supervisor transferred this case from Bea Biller to Sam Seller\. Note: Back to sales/)],
    ]);
    await checkInvariants(t, t.http, admin);
  });

  it('moves an open socket between queues when the agent skills change, without reconnecting', async () => {
    const s = await skill('live');
    const channelId = await byocChannel(s);
    const a = await agent([]);
    const socket = new AgentSocket(t.url, a.token);
    sockets.push(socket);
    await socket.connected();
    const unseen = await inbound(channelId);
    expect((await t.http.patch(`/api/v1/users/${a.id}`, { skills: [{ skillId: s, proficiency: 7 }] }, admin)).body.skills).toEqual([{ skillId: s, proficiency: 7 }]);
    const seen = await waitFor(async () => {
      const c = await inbound(channelId);
      await sleep(100);
      return socket.of('case.created').some((e) => e.data.id === c) && c;
    }, 10_000, 'new queue reaches the open socket');
    expect(socket.of('case.created').some((e) => e.data.id === unseen)).toBe(false);
    expect(seen).toBeTruthy();
    await t.http.patch(`/api/v1/users/${a.id}`, { skillIds: [] }, admin);
    const gone = await waitFor(async () => {
      const c = await inbound(channelId);
      await sleep(300);
      return !socket.of('case.created').some((e) => e.data.id === c) && c;
    }, 10_000, 'old queue leaves the open socket');
    expect(gone).toBeTruthy();
  });

  it('answers outside business hours once per case, through the outbound path', async () => {
    const closedDay = (new Date().getUTCDay() + 3) % 7;
    const hours = { timezone: 'UTC', weekly: [{ day: closedDay, open: '09:00', close: '10:00' }], holidays: ['2026-12-25'] };
    const text = 'We are closed now; we answer from 9:00.';
    expect((await t.http.patch(`/api/v1/skills/${await skill('bad-hours')}`, { businessHours: { ...hours, timezone: 'Mars/Olympus' } }, admin)).body.details[0].field).toBe('businessHours.timezone');
    expect((await t.http.patch(`/api/v1/skills/${await skill('bad-hours')}`, { businessHours: { ...hours, weekly: [{ day: 1, open: '10:00', close: '09:00' }] } }, admin)).status).toBe(400);
    const s = await skill('hours', { businessHours: hours, outOfHoursReply: text });
    expect((await t.http.get(`/api/v1/skills/${s}`, admin)).body).toEqual({ id: s, name: expect.any(String), routingMode: 'push', offerTimeoutSeconds: 30, businessHours: hours, outOfHoursReply: text, sla: [] });
    const channelId = await byocChannel(s);
    const systemReplies = async (caseId: string) => (await messages(caseId)).filter((m) => m.author.type === 'system' && m.direction === 'outbound');

    const c = await inbound(channelId, 'night-owl');
    const [reply] = await waitFor(async () => {
      const r = await systemReplies(c);
      return r.length > 0 && r;
    }, 10_000, 'out-of-hours reply');
    expect(reply).toMatchObject({ internal: false, author: { type: 'system', id: null }, content: { text } });
    await waitFor(() => byoc.received.some((r) => r.body.caseId === c && r.body.content.text === text), 10_000, 'delivered to the integrator');
    expect((await inbound(channelId, 'night-owl')) === c).toBe(true);
    // Another case gets its own reply; by then the first case's second message had its chance.
    const d = await inbound(channelId, 'early-bird');
    await waitFor(async () => (await systemReplies(d)).length > 0, 10_000, 'second case reply');
    await sleep(300);
    expect(await systemReplies(c)).toHaveLength(1);
    expect(byoc.received.filter((r) => r.body.caseId === c)).toHaveLength(1);

    const open = await skill('open', { businessHours: { timezone: 'UTC', weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '24:00' })), holidays: [] }, outOfHoursReply: text });
    const e = await inbound(await byocChannel(open), 'daytime');
    await sleep(500);
    expect(await systemReplies(e)).toEqual([]);
  });

  it('never answers an automated inbound (auto-reply, bounce) outside business hours; a person gets the reply by email', async () => {
    const closedDay = (new Date().getUTCDay() + 3) % 7;
    const text = 'Our mailbox is closed; we answer from 9:00.';
    const s = await skill('mail-hours', { businessHours: { timezone: 'UTC', weekly: [{ day: closedDay, open: '09:00', close: '10:00' }], holidays: [] }, outOfHoursReply: text });
    const address = `hours-${++n}@inbox.example.com`;
    const channel = await t.http.post('/api/v1/channels', { type: 'email', name: 'Hours mailbox', defaultSkillId: s, config: { address, smtp: { host: '127.0.0.1', port: smtp.port, secure: false } } }, admin);
    expect(channel.status).toBe(201);
    const transport = createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, logger: false });
    const caseOfMail = async (messageId: string) =>
      waitFor(async () => {
        const rows = await db(t).query('SELECT case_id FROM messages WHERE channel_id = $1 AND provider_message_id = $2', [channel.body.id, messageId]);
        return rows[0]?.case_id as string | undefined;
      }, 10_000, `stored ${messageId}`);
    const systemReplies = async (caseId: string) => (await messages(caseId)).filter((m) => m.author.type === 'system' && m.direction === 'outbound');

    const autoId = `<auto-${n}@mail.example.org>`;
    const auto = withHeaders(emailFixture('email-auto-reply.eml'), { 'Message-ID': autoId, 'In-Reply-To': null, References: null, To: address, From: 'Robot <robot@example.org>' });
    await transport.sendMail({ envelope: { from: 'robot@example.org', to: [address] }, raw: auto });
    const autoCase = await caseOfMail(autoId);
    expect((await messages(autoCase))[0]).toMatchObject({ direction: 'inbound', automated: true });

    const personId = `<person-${n}@mail.example.net>`;
    await transport.sendMail({ messageId: personId, from: 'Pat Person <pat@example.net>', to: address, subject: 'Help please', text: 'Anyone there?' });
    const personCase = await caseOfMail(personId);
    const [reply] = await waitFor(async () => {
      const r = await systemReplies(personCase);
      return r.length > 0 && r;
    }, 10_000, 'out-of-hours reply');
    expect(reply).toMatchObject({ content: { text }, internal: false });
    const sent = await waitFor(() => smtp.mails.find((m) => m.envelope.to.includes('pat@example.net')), 10_000, 'reply mailed');
    expect(sent.parsed.text).toContain(text);
    // The automated mail arrived first and got nothing.
    expect(await systemReplies(autoCase)).toEqual([]);
    expect(smtp.mails.filter((m) => m.envelope.to.includes('robot@example.org'))).toEqual([]);
  });

  it('sets SLA due dates per skill and priority, stamps breaches and announces them as case.updated', async () => {
    const sla = [
      { priority: null, firstResponseSeconds: 1, nextResponseSeconds: 1, resolutionSeconds: 3600 },
      { priority: 5, firstResponseSeconds: 3600 },
    ];
    expect((await t.http.patch(`/api/v1/skills/${await skill('bad-sla')}`, { sla: [{ priority: null }, { priority: null }] }, admin)).status).toBe(400);
    const s = await skill('sla', { sla });
    const channelId = await byocChannel(s);
    const watcher = new AgentSocket(t.url, admin);
    sockets.push(watcher);
    await watcher.connected();
    const withSla = async (caseId: string, key: string) =>
      waitFor(async () => {
        const c = await caseOf(t.http, admin, caseId);
        return c.sla[key] && c;
      }, 15_000, `${key} of ${caseId}`);

    const late = await inbound(channelId);
    const started = await withSla(late, 'firstResponseDueAt');
    expect(Date.parse(started.sla.firstResponseDueAt) - Date.parse(started.createdAt)).toBe(1000);
    expect(Date.parse(started.sla.resolutionDueAt) - Date.parse(started.createdAt)).toBe(3600_000);
    const breached = await withSla(late, 'firstResponseBreachedAt');
    expect(breached.sla).toMatchObject({ firstResponseBreachedAt: breached.sla.firstResponseDueAt, firstRespondedAt: null, resolutionBreachedAt: null });
    await waitFor(() => watcher.of('case.updated').some((e) => e.data.id === late && e.data.sla.firstResponseBreachedAt), 5000, 'breach announced');

    // Priority 5 has an hour for the first response; an agent's reply answers it in time.
    const onTime = await inbound(channelId, 'sla-customer');
    await withSla(onTime, 'firstResponseDueAt');
    const raised = await t.http.patch(`/api/v1/cases/${onTime}`, { priority: 5 }, admin);
    expect(Date.parse(raised.body.sla.firstResponseDueAt) - Date.parse(raised.body.createdAt)).toBe(3600_000);
    expect((await t.http.post(`/api/v1/cases/${onTime}/messages`, { content: { text: 'internal' }, internal: true }, admin)).status).toBe(201);
    expect((await caseOf(t.http, admin, onTime)).sla.firstRespondedAt).toBeNull();
    expect((await t.http.post(`/api/v1/cases/${onTime}/messages`, { content: { text: 'On it!' } }, admin)).status).toBe(201);
    const answered = await caseOf(t.http, admin, onTime);
    expect(answered.sla).toMatchObject({ firstRespondedAt: expect.any(String), firstResponseBreachedAt: null, nextResponseDueAt: null });

    // The customer writes again: the next-response clock (1 s, from the default entry) starts,
    // breaches and is announced; the next reply stops it.
    await inbound(channelId, 'sla-customer');
    const waiting = await withSla(onTime, 'nextResponseDueAt');
    const customerMessage = (await messages(onTime)).filter((m) => m.direction === 'inbound').pop();
    expect(Date.parse(waiting.sla.nextResponseDueAt) - Date.parse(customerMessage.createdAt)).toBe(1000);
    const nextBreached = await withSla(onTime, 'nextResponseBreachedAt');
    expect(nextBreached.sla.nextResponseBreachedAt).toBe(waiting.sla.nextResponseDueAt);
    await waitFor(() => watcher.of('case.updated').some((e) => e.data.id === onTime && e.data.sla.nextResponseBreachedAt), 5000, 'next breach announced');
    await t.http.post(`/api/v1/cases/${onTime}/messages`, { content: { text: 'Sorry for the wait' } }, admin);
    expect((await caseOf(t.http, admin, onTime)).sla).toMatchObject({ nextResponseDueAt: null, nextResponseBreachedAt: nextBreached.sla.nextResponseBreachedAt });
    const resolved = await t.http.patch(`/api/v1/cases/${onTime}`, { status: 'resolved' }, admin);
    expect(resolved.body.sla).toMatchObject({ resolvedAt: expect.any(String), resolutionBreachedAt: null });
  });

  it('assigns a burst of simultaneous cases while agents free capacity in parallel: no double assignment, nobody over capacity', { timeout: 300_000 }, async () => {
    const s = await skill('burst');
    const channelId = await byocChannel(s);
    const team = await Promise.all(Array.from({ length: 5 }, () => agent([[s, 10]], { capacity: { messaging: 2 } })));
    for (const a of team) await available(a);
    const total = 40;
    const violations: string[] = [];
    const ids = await withCleanup(async (cleanup) => {
      const loops = new BackgroundLoops();
      cleanup.add('stop the agents', () => loops.stop());
      startWorking(loops, team, () => t, admin, violations);
      const ids = await Promise.all(Array.from({ length: total }, (_, i) => inbound(channelId, `burst-${n}-${i}`)));
      expect(new Set(ids).size).toBe(total);
      await waitFor(async () => {
        loops.check();
        const rows = await db(t).query(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[]) AND status = 'resolved'`, [ids]);
        return rows[0].n === total;
      }, 120_000, 'every case worked');
      await loops.stop();
      return ids;
    });
    expect(violations).toEqual([]);
    const perCase = await db(t).query(`SELECT case_id, count(*)::int AS n FROM case_assignments WHERE case_id = ANY($1::uuid[]) GROUP BY case_id`, [ids]);
    expect(perCase).toHaveLength(total);
    expect(perCase.filter((r: { n: number }) => r.n !== 1)).toEqual([]);
    for (const [key, peak] of await peakConcurrentHolds(t)) if (team.some((a) => key.startsWith(a.id))) expect(peak).toBeLessThanOrEqual(2);
    await checkInvariants(t, t.http, admin);
  });

  it('documents the routing API in OpenAPI', async () => {
    const doc = (await t.http.get('/docs-json')).body;
    for (const path of ['/api/v1/agents', '/api/v1/agents/me/state', '/api/v1/agents/{userId}/state', '/api/v1/idle-reasons', '/api/v1/queues', '/api/v1/cases/{id}/accept', '/api/v1/cases/{id}/decline', '/api/v1/cases/{id}/pick', '/api/v1/cases/{id}/transfer', '/api/v1/cases/{id}/assignments', '/api/v1/routing/settings', '/api/v1/skills/{id}']) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(JSON.stringify(doc.paths['/api/v1/skills/{id}'].patch.requestBody)).toContain('offerTimeoutSeconds');
    expect(doc.info.description).toContain('AT_CAPACITY');
  });
});


// Two Parley processes on one PostgreSQL route the same queue at once: each dispatches, sweeps
// and takes webhooks and agent requests. PGlite is a single-process database, so this needs
// DATABASE_URL (CI's second pass).
describe('Routing on two instances sharing one PostgreSQL', { skip: process.env.DATABASE_URL ? false : 'needs DATABASE_URL (PostgreSQL)' }, () => {
  const env = { AGENT_OFFLINE_GRACE_MS: '60000', ROUTING_SWEEP_MS: '200' };

  // Everything this test starts (two apps, the integrator, sockets, the agents' loops) is
  // stopped whatever fails, wherever: a failure must end the test, never hang the process.
  it('never assigns a case twice nor pushes an agent over capacity while both instances route at once', { timeout: 300_000 }, () =>
    withCleanup(async (cleanup) => {
      const a = await startApp({ env });
      cleanup.add('stop instance A', () => a.stop());
      const b = await startApp({ databaseUrl: (db(a).options as { url: string }).url, dataDir: a.dataDir, env });
      cleanup.add('stop instance B', () => b.stop({ keepData: true }));
      const byoc = new ByocIntegrator();
      cleanup.add('close the integrator', () => byoc.close());
      const admin = await a.http.login();
      const skillId = (await a.http.post('/api/v1/skills', { name: 'shared-queue' }, admin)).body.id;
      const channel = await a.http.post('/api/v1/channels', { type: 'byoc', name: 'shared', defaultSkillId: skillId, config: { callbackUrl: await byoc.listen() } }, admin);
      byoc.secret = channel.body.secret;

      const team = await Promise.all(Array.from({ length: 6 }, () => createAgent(a.http, admin, [{ skillId, proficiency: 10 }], { capacity: { messaging: 2 } })));
      cleanup.add('close the agent sockets', () => team.forEach((agent) => agent.socket?.close()));
      const home = (i: number) => (i % 2 ? b : a);
      for (const [i, agent] of team.entries()) await goAvailable(home(i).url, home(i).http, agent);
      const total = 60;
      const violations: string[] = [];
      const loops = new BackgroundLoops();
      cleanup.add('stop the agents', () => loops.stop());
      startWorking(loops, team, home, admin, violations);
      const sent = await Promise.all(
        Array.from({ length: total }, (_, i) => byoc.send(home(i).http, channel.body.id, { type: 'message', messageId: `shared-${i}`, from: { id: `shared-customer-${i}` }, content: { text: `hi ${i}` } })),
      );
      expect(sent.filter((r) => r.status !== 200).map((r) => r.text)).toEqual([]);
      const ids = sent.map((r) => r.body.caseId as string);
      await waitFor(async () => {
        loops.check();
        const rows = await db(a).query(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[]) AND status = 'resolved'`, [ids]);
        return rows[0].n === total;
      }, 180_000, 'every case worked');
      await loops.stop();

      expect(violations).toEqual([]);
      const perCase = await db(a).query(`SELECT case_id, count(*)::int AS n FROM case_assignments WHERE case_id = ANY($1::uuid[]) GROUP BY case_id`, [ids]);
      expect(perCase).toHaveLength(total);
      expect(perCase.filter((r: { n: number }) => r.n !== 1)).toEqual([]);
      for (const peak of (await peakConcurrentHolds(a)).values()) expect(peak).toBeLessThanOrEqual(2);
      await checkInvariants(a, a.http, admin);
      // Both instances did some of the routing.
      const handled = await db(a).query(`SELECT count(DISTINCT agent_id)::int AS n FROM case_assignments WHERE case_id = ANY($1::uuid[])`, [ids]);
      expect(handled[0].n).toBeGreaterThan(1);
    }),
  );
});

// PostgreSQL settles some races by aborting one transaction (deadlock_detected). An agent's
// accept that loses one is run again, not answered with a 500. The deadlock is made on purpose:
// a rival session holds the tenant's event counter (the last row the accept locks) and then
// asks for the case row the accept holds. Only PostgreSQL gives real deadlocks: DATABASE_URL.
describe('Routing when PostgreSQL aborts a transaction', { skip: process.env.DATABASE_URL ? false : 'needs DATABASE_URL (PostgreSQL)' }, () => {
  it('runs an accept that lost a deadlock again: 200, assigned once', { timeout: 120_000 }, () =>
    withCleanup(async (cleanup) => {
      // The side that checks first is aborted: the app's sessions after 5 s of waiting (room for
      // the rival to close the cycle), the rival only after 60 s.
      const databaseUrl = new URL(process.env.DATABASE_URL!);
      databaseUrl.pathname = `/parley_deadlock_${process.pid}_${Date.now().toString(36)}`;
      const creator = new Client({ connectionString: process.env.DATABASE_URL });
      await creator.connect();
      await creator.query(`CREATE DATABASE ${databaseUrl.pathname.slice(1)}`).finally(() => creator.end());
      cleanup.add('drop the database', () => dropDatabase(databaseUrl.toString()));
      const appUrl = new URL(databaseUrl);
      appUrl.searchParams.set('options', '-c deadlock_timeout=5s');
      const app = await startApp({ databaseUrl: appUrl.toString(), env: { ROUTING_SWEEP_MS: '200' } });
      cleanup.add('stop the app', () => app.stop());
      const byoc = new ByocIntegrator();
      cleanup.add('close the integrator', () => byoc.close());
      const admin = await app.http.login();
      const skillId = (await app.http.post('/api/v1/skills', { name: 'deadlock' }, admin)).body.id;
      const channel = await app.http.post('/api/v1/channels', { type: 'byoc', name: 'deadlock', defaultSkillId: skillId, config: { callbackUrl: await byoc.listen() } }, admin);
      byoc.secret = channel.body.secret;
      const agent = await createAgent(app.http, admin, [{ skillId, proficiency: 10 }]);
      cleanup.add('close the agent socket', () => agent.socket?.close());
      await goAvailable(app.url, app.http, agent);
      const caseId = (await byoc.send(app.http, channel.body.id, { type: 'message', messageId: 'deadlock-1', from: { id: 'deadlock-customer' }, content: { text: 'hi' } })).body.caseId as string;
      await offeredTo(app.http, admin, caseId, agent.id);
      await app.app.get(DispatcherService).idle();
      const [{ tenant_id: tenantId }] = await db(app).query('SELECT tenant_id FROM cases WHERE id = $1', [caseId]);

      const rival = new Client({ connectionString: databaseUrl.toString() });
      const observer = new Client({ connectionString: databaseUrl.toString() });
      await rival.connect();
      cleanup.add('close the rival session', () => rival.end());
      await observer.connect();
      cleanup.add('close the observer session', () => observer.end());
      const [{ pid: rivalPid }] = (await rival.query('SELECT pg_backend_pid() AS pid')).rows;
      await rival.query('BEGIN');
      await rival.query(`SET LOCAL deadlock_timeout = '60s'`);
      await rival.query('UPDATE tenants SET event_seq = event_seq WHERE id = $1', [tenantId]);

      const accepted = app.http.post(`/api/v1/cases/${caseId}/accept`, {}, agent.token);
      // The accept holds the case row and waits for the counter…
      await waitFor(async () => {
        const waiting = await observer.query(`SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid)) AND query ILIKE '%tenants%'`, [rivalPid]);
        return waiting.rowCount === 1;
      }, 15_000, 'the accept waiting for the event counter');
      // …and the rival now waits for the case row: a cycle. It gets the row once PostgreSQL
      // aborted the accept's transaction.
      await rival.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
      await rival.query('ROLLBACK');

      const res = await accepted;
      expect(res.status).toBe(200);
      // There was a deadlock indeed, and its victim was the accept (the rival got its row).
      await waitFor(async () => Number((await observer.query('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()')).rows[0].deadlocks) === 1, 10_000, 'the deadlock counted');
      expect(res.body).toMatchObject({ assigneeId: agent.id, routing: { state: 'assigned' } });
      const assignments = await db(app).query('SELECT agent_id, ended_at FROM case_assignments WHERE case_id = $1', [caseId]);
      expect(assignments).toEqual([{ agent_id: agent.id, ended_at: null }]);
      await checkInvariants(app, app.http, admin);
    }),
  );
});

// An offer's deadline is stored with it: a restart in between does not lose the no-answer.
describe('Routing across a restart', () => {
  it('expires an offer made before the restart', () =>
    withCleanup(async (cleanup) => {
      const env = { ROUTING_SWEEP_MS: '200' };
      const first = await startApp({ env });
      const databaseUrl = process.env.DATABASE_URL ? (db(first).options as { url: string }).url : undefined;
      // Stopped below with its data kept for the second start: these remove the data either way.
      cleanup.add('remove the data', async () => {
        if (databaseUrl) await dropDatabase(databaseUrl);
        rmSync(first.dataDir, { recursive: true, force: true });
      });
      let firstRunning = true;
      cleanup.add('stop the first instance', () => firstRunning && first.stop({ keepData: true }));
      const byoc = new ByocIntegrator();
      cleanup.add('close the integrator', () => byoc.close());
      const admin = await first.http.login();
      const skillId = (await first.http.post('/api/v1/skills', { name: 'restart' }, admin)).body.id;
      expect((await first.http.patch(`/api/v1/skills/${skillId}`, { offerTimeoutSeconds: 2 }, admin)).status).toBe(200);
      const channel = await first.http.post('/api/v1/channels', { type: 'byoc', name: 'restart', defaultSkillId: skillId, config: { callbackUrl: await byoc.listen() } }, admin);
      byoc.secret = channel.body.secret;
      const silent = await createAgent(first.http, admin, [{ skillId, proficiency: 10 }]);
      cleanup.add('close the agent socket', () => silent.socket?.close());
      await goAvailable(first.url, first.http, silent);
      const caseId = (await byoc.send(first.http, channel.body.id, { type: 'message', messageId: 'before-restart', from: { id: 'restart-customer' }, content: { text: 'hi' } })).body.caseId;
      await offeredTo(first.http, admin, caseId, silent.id);
      silent.socket!.close();
      firstRunning = false;
      await first.stop({ keepData: true });

      const second = await startApp({ env, dataDir: first.dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
      cleanup.add('stop the second instance', () => second.stop({ keepData: true }));
      const token = await second.http.login();
      const back = await waitFor(async () => {
        const c = await caseOf(second.http, token, caseId);
        return c.routing.state === 'queued' && c;
      }, 20_000, 'offer expired after the restart');
      expect(back.routing.offeredTo).toBeNull();
      expect((await second.http.get('/api/v1/agents/me/state', await second.http.login(silent.email, 'agent-password'))).body).toMatchObject({ state: 'unavailable', reasonCode: 'no_answer', source: 'system' });
    }));
});
