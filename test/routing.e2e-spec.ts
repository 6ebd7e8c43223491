import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { slackFixture } from '../channels/slack/slack.fixtures';
import { slackSignatureHeaders } from '../channels/slack/slack.signature';
import { AgentStateService } from '../src/routing/agent-state.service';
import { SlackApiFake } from './fakes/slack-api.fake';
import { AgentSocket } from './support/agent-socket';
import { ByocIntegrator, waitFor } from './support/byoc-integrator';
import { type Agent, caseOf, checkInvariants, createAgent, db, goAvailable, offeredTo, peakConcurrentHolds } from './support/routing-helpers';
import { startApp, type TestApp } from './support/test-app';

// Issue 7, Routing, over HTTP and socket.io on the real database: agent states and presence,
// queues, capacity per channel family, push / manual / round-robin assignment, no-answer,
// transfers with history, live socket rooms, business hours and SLA clocks, and assignment
// under concurrency. Each test works on its own skill(s), so queues never mix.
const GRACE_MS = 1500;

describe('Routing', () => {
  let t: TestApp;
  let admin: string;
  const byoc = new ByocIntegrator();
  const slack = new SlackApiFake();
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

  before(async () => {
    t = await startApp({ env: { AGENT_OFFLINE_GRACE_MS: String(GRACE_MS), ROUTING_SWEEP_MS: '200' } });
    admin = await t.http.login();
    callbackUrl = byoc.listen();
    await slack.listen();
  });
  after(async () => {
    for (const s of sockets) s.close();
    await byoc.close();
    await slack.close();
    await t.stop();
  });

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
});
