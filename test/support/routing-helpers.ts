import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { familyOf } from '../../src/routing/channel-family';
import { AgentSocket } from './agent-socket';
import { waitFor } from './byoc-integrator';
import type { Http, TestApp } from './test-app';

// What the routing suites share: agents with skills, their sockets and states, and the
// invariants routing must keep whatever happened (checked on the database itself).

export interface Agent {
  id: string;
  email: string;
  token: string;
  socket?: AgentSocket;
}

let counter = 0;

export async function createAgent(http: Http, admin: string, skills: Array<{ skillId: string; proficiency: number }>, options: { capacity?: Record<string, number>; role?: string; name?: string } = {}): Promise<Agent> {
  const email = `routing-agent-${process.pid}-${++counter}@test.local`;
  const res = await http.post('/api/v1/users', { email, name: options.name ?? `Agent ${counter}`, password: 'agent-password', role: options.role ?? 'agent', skills, ...(options.capacity ? { capacity: options.capacity } : {}) }, admin);
  if (res.status !== 201) throw new Error(`create agent: ${res.status} ${res.text}`);
  return { id: res.body.id, email, token: await http.login(email, 'agent-password') };
}

// Connects the agent's socket and makes them available.
export async function goAvailable(baseUrl: string, http: Http, agent: Agent): Promise<Agent> {
  agent.socket ??= new AgentSocket(baseUrl, agent.token);
  await agent.socket.connected();
  const res = await http.request('PUT', '/api/v1/agents/me/state', { body: { state: 'available' }, token: agent.token });
  if (res.status !== 200) throw new Error(`available: ${res.status} ${res.text}`);
  return agent;
}

export async function caseOf(http: Http, token: string, id: string): Promise<any> {
  return (await http.get(`/api/v1/cases/${id}`, token)).body;
}

export function offeredTo(http: Http, token: string, caseId: string, agentId: string, timeoutMs = 15_000): Promise<any> {
  return waitFor(async () => {
    const c = await caseOf(http, token, caseId);
    return c.routing?.state === 'offered' && c.routing.offeredTo === agentId && c;
  }, timeoutMs, `case ${caseId} offered to ${agentId}`);
}

export function db(t: TestApp): DataSource {
  return t.app.get<DataSource>(getDataSourceToken());
}

// Every load row equals the cases its agent actually holds (offered or assigned), per family; no
// case has two open assignments; nobody holds more than their capacity.
export async function checkInvariants(t: TestApp, http: Http, admin: string): Promise<void> {
  const cases: Array<{ id: string; channel_type: string; routing_state: string | null; offered_to: string | null; assignee_id: string | null }> = await db(t).query(
    `SELECT id, channel_type, routing_state, offered_to, assignee_id FROM cases WHERE routing_state IN ('offered', 'assigned')`,
  );
  const held = new Map<string, number>();
  for (const c of cases) {
    const holder = c.routing_state === 'offered' ? c.offered_to : c.assignee_id;
    const key = `${holder}:${familyOf(c.channel_type)}`;
    held.set(key, (held.get(key) ?? 0) + 1);
  }
  const loads: Array<{ user_id: string; family: string; load: number }> = await db(t).query('SELECT user_id, family, load FROM agent_loads');
  for (const l of loads) {
    if ((held.get(`${l.user_id}:${l.family}`) ?? 0) !== Number(l.load)) throw new Error(`load of ${l.user_id}/${l.family} is ${l.load}, holds ${held.get(`${l.user_id}:${l.family}`) ?? 0}`);
    held.delete(`${l.user_id}:${l.family}`);
  }
  if (held.size) throw new Error(`cases held without a load row: ${[...held.keys()].join(', ')}`);
  const open: Array<{ case_id: string; n: number }> = await db(t).query('SELECT case_id, count(*)::int AS n FROM case_assignments WHERE ended_at IS NULL GROUP BY case_id HAVING count(*) > 1');
  if (open.length) throw new Error(`cases with several open assignments: ${open.map((o) => o.case_id).join(', ')}`);
  const agents = (await http.get('/api/v1/agents', admin)).body.items as Array<{ user: { id: string }; load: Record<string, number>; capacity: Record<string, number> }>;
  for (const a of agents) for (const f of Object.keys(a.load)) if (a.load[f]! > a.capacity[f]!) throw new Error(`${a.user.id} over capacity in ${f}: ${a.load[f]} > ${a.capacity[f]}`);
}

// From the assignment history: the most cases of one family any agent held at the same moment.
export async function peakConcurrentHolds(t: TestApp): Promise<Map<string, number>> {
  const rows: Array<{ agent_id: string; family: string; started_at: Date; ended_at: Date | null }> = await db(t).query('SELECT agent_id, family, started_at, ended_at FROM case_assignments');
  const points = new Map<string, Array<[number, number]>>();
  for (const r of rows) {
    const key = `${r.agent_id}:${r.family}`;
    const list = points.get(key) ?? [];
    list.push([new Date(r.started_at).getTime(), 1]);
    if (r.ended_at) list.push([new Date(r.ended_at).getTime(), -1]);
    points.set(key, list);
  }
  const peaks = new Map<string, number>();
  for (const [key, list] of points) {
    // An end and a start at the same instant: the end first (the capacity was freed, then taken).
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let current = 0;
    let peak = 0;
    for (const [, delta] of list) peak = Math.max(peak, (current += delta));
    peaks.set(key, peak);
  }
  return peaks;
}
