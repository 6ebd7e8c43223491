import { after, before, describe, it } from 'node:test';
import { getDataSourceToken } from '@nestjs/typeorm';
import { expect } from 'expect';
import type { DataSource } from 'typeorm';
import { AgentSocket } from './support/agent-socket';
import { ByocIntegrator, waitFor } from './support/byoc-integrator';
import { PLATFORM_TOKEN, startApp, type TestApp } from './support/test-app';

// Issue "Inbox core", end to end over HTTP and socket.io on the real database, with BYOC as the
// channel: an integrator process signs webhooks and receives Parley's signed callbacks.
describe('Inbox core with a BYOC channel', () => {
  let t: TestApp;
  let admin: string;
  let agentToken: string;
  let otherSkillAgentToken: string;
  let otherTenantToken: string;
  let channelId: string;
  let skillId: string;
  const byoc = new ByocIntegrator();
  let n = 0;
  const message = (overrides: Record<string, unknown> = {}) => ({
    type: 'message',
    messageId: `ext-${++n}`,
    from: { id: 'user-42', name: 'Ana Lima', email: 'ana@example.com' },
    timestamp: new Date().toISOString(),
    content: { text: `Hola ${n}` },
    ...overrides,
  });
  const db = () => t.app.get<DataSource>(getDataSourceToken());
  const count = async (table: string) => Number((await db().query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  before(async () => {
    t = await startApp();
    admin = await t.http.login();
    skillId = (await t.http.post('/api/v1/skills', { name: 'support' }, admin)).body.id;
    const otherSkill = (await t.http.post('/api/v1/skills', { name: 'billing' }, admin)).body.id;
    await t.http.post('/api/v1/users', { email: 'ag@t.local', name: 'Agent', password: 'agent-password', role: 'agent', skillIds: [skillId] }, admin);
    await t.http.post('/api/v1/users', { email: 'bill@t.local', name: 'Biller', password: 'agent-password', role: 'agent', skillIds: [otherSkill] }, admin);
    agentToken = await t.http.login('ag@t.local', 'agent-password');
    otherSkillAgentToken = await t.http.login('bill@t.local', 'agent-password');
    await t.http.post('/api/v1/tenants', { name: 'Other', admin: { email: 'o@o.test', password: 'other-password', name: 'O' } }, PLATFORM_TOKEN);
    otherTenantToken = await t.http.login('o@o.test', 'other-password');
    const callbackUrl = await byoc.listen();
    const channel = await t.http.post('/api/v1/channels', { type: 'byoc', name: 'Custom', defaultSkillId: skillId, config: { callbackUrl, capabilities: ['buttons'] } }, admin);
    channelId = channel.body.id;
    byoc.secret = channel.body.secret;
  });
  after(async () => {
    await byoc.close();
    await t.stop();
  });

  it('turns a signed inbound message into a case pushed to agents of its skill, and to nobody else', async () => {
    const agent = new AgentSocket(t.url, agentToken);
    const supervisorView = new AgentSocket(t.url, admin);
    const otherSkill = new AgentSocket(t.url, otherSkillAgentToken);
    const otherTenant = new AgentSocket(t.url, otherTenantToken);
    await Promise.all([agent, supervisorView, otherSkill, otherTenant].map((s) => s.connected()));
    try {
      const res = await byoc.send(t.http, channelId, message({ threadId: 't-9', content: { text: 'Hola, mi pedido no llegó' } }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: expect.any(String), caseId: expect.any(String), duplicate: false });

      // Readable as soon as the webhook answered.
      const kase = await t.http.get(`/api/v1/cases/${res.body.caseId}`, admin);
      expect(kase.body).toMatchObject({ id: res.body.caseId, channelId, channelType: 'byoc', status: 'new', skillId, assigneeId: null, lastMessagePreview: 'Hola, mi pedido no llegó', contact: { name: 'Ana Lima', identities: [{ channelType: 'byoc', address: 'user-42' }] } });
      for (const key of ['subject', 'priority', 'createdAt', 'updatedAt', 'lastMessageAt']) expect(kase.body).toHaveProperty(key);

      for (const s of [agent, supervisorView]) {
        await waitFor(() => s.of('message.created').length > 0, 5000, 'message.created');
        expect(s.of('case.created')[0]!.data.id).toBe(res.body.caseId);
        expect(s.of('message.created')[0]!.data).toMatchObject({ caseId: res.body.caseId, message: { id: res.body.id, direction: 'inbound', status: 'received', content: { text: 'Hola, mi pedido no llegó' } } });
        expect(s.of('case.created')[0]!.seq).toBeLessThan(s.of('message.created')[0]!.seq);
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(otherSkill.events).toEqual([]);
      expect(otherTenant.events).toEqual([]);
      // The REST visibility matches the socket's.
      expect((await t.http.get(`/api/v1/cases/${res.body.caseId}`, otherSkillAgentToken)).status).toBe(404);
      expect((await t.http.get(`/api/v1/cases/${res.body.caseId}`, otherTenantToken)).status).toBe(404);
      expect((await t.http.get('/api/v1/events?after=0', otherSkillAgentToken)).body.items).toEqual([]);
    } finally {
      for (const s of [agent, supervisorView, otherSkill, otherTenant]) s.close();
    }
  });

  it('fails the socket handshake with a bad token', async () => {
    const bad = new AgentSocket(t.url, 'not-a-token');
    await expect(bad.connected()).rejects.toThrow('unauthorized');
    bad.close();
  });

  it('stores a repeated delivery once, sequentially and concurrently', async () => {
    const payload = message();
    const first = await byoc.send(t.http, channelId, payload);
    const again = await byoc.send(t.http, channelId, payload);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, caseId: first.body.caseId, duplicate: true });

    const racing = message({ from: { id: 'racer-1', name: 'Racer' } });
    const results = await Promise.all(Array.from({ length: 6 }, () => byoc.send(t.http, channelId, racing)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => !r.body.duplicate)).toHaveLength(1);
    const rows = await db().query('SELECT count(*)::int AS n FROM messages WHERE provider_message_id = $1', [racing.messageId]);
    expect(rows[0].n).toBe(1);
    // One case, one contact for the racer.
    expect((await db().query(`SELECT count(*)::int AS n FROM contact_identities WHERE address = 'racer-1'`))[0].n).toBe(1);
    expect((await db().query(`SELECT count(*)::int AS n FROM cases c JOIN contact_identities i ON i.contact_id = c.contact_id WHERE i.address = 'racer-1'`))[0].n).toBe(1);
  });

  it('threads by threadId and the case rules: pending/resolved reopen, closed starts a new case', async () => {
    const from = { id: 'threader', name: 'T' };
    const a = await byoc.send(t.http, channelId, message({ from, threadId: 'A' }));
    const b = await byoc.send(t.http, channelId, message({ from, threadId: 'B' }));
    expect(a.body.caseId).not.toBe(b.body.caseId);
    expect((await byoc.send(t.http, channelId, message({ from, threadId: 'A' }))).body.caseId).toBe(a.body.caseId);

    for (const status of ['pending', 'resolved'] as const) {
      expect((await t.http.patch(`/api/v1/cases/${a.body.caseId}`, { status }, admin)).body.status).toBe(status);
      await byoc.send(t.http, channelId, message({ from, threadId: 'A' }));
      expect((await t.http.get(`/api/v1/cases/${a.body.caseId}`, admin)).body.status).toBe('open');
    }
    expect((await t.http.patch(`/api/v1/cases/${a.body.caseId}`, { status: 'closed' }, admin)).body.status).toBe('closed');
    const reopen = await t.http.patch(`/api/v1/cases/${a.body.caseId}`, { status: 'open' }, admin);
    expect(reopen.status).toBe(409);
    expect(reopen.body.code).toBe('INVALID_TRANSITION');
    const next = await byoc.send(t.http, channelId, message({ from, threadId: 'A' }));
    expect(next.body.caseId).not.toBe(a.body.caseId);
    expect((await t.http.get(`/api/v1/cases/${a.body.caseId}`, admin)).body.status).toBe('closed');
  });

  it('lists cases newest activity first with filters and keyset pagination', async () => {
    const from = { id: 'pager', name: 'Pager' };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await byoc.send(t.http, channelId, message({ from, threadId: `p-${i}` }))).body.caseId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.http.get(`/api/v1/cases?q=Pager&limit=2${cursor ? `&cursor=${cursor}` : ''}`, admin);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const closedOnly = await t.http.get('/api/v1/cases?status=closed', admin);
    expect(closedOnly.body.items.every((c: { status: string }) => c.status === 'closed')).toBe(true);
    expect((await t.http.get('/api/v1/cases?status=bogus', admin)).status).toBe(400);
    expect((await t.http.get('/api/v1/cases?limit=101', admin)).status).toBe(400);
    // Agents see their skill's queue.
    const agentList = await t.http.get('/api/v1/cases?q=Pager', agentToken);
    expect(agentList.body.items).toHaveLength(5);
    expect((await t.http.get('/api/v1/cases?q=Pager', otherSkillAgentToken)).body.items).toHaveLength(0);
  });

  it('sends a reply through the signed callback, idempotently, and never sends internal notes', async () => {
    byoc.received.length = 0;
    byoc.respond = (k) => ({ status: 200, body: { externalId: `out-${k}` } });
    const inbound = await byoc.send(t.http, channelId, message({ from: { id: 'replyee' }, threadId: 'r-1' }));
    const caseId = inbound.body.caseId;
    const reply = await t.http.post(`/api/v1/cases/${caseId}/messages`, { content: { text: 'Choose one', buttons: [{ title: 'Refund', payload: 'REFUND' }, { title: 'Track', payload: 'TRACK' }] } }, admin, { 'Idempotency-Key': 'k-1' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ caseId, direction: 'outbound', internal: false, status: 'queued', author: { type: 'agent' }, externalId: null, error: null });
    const repeat = await t.http.post(`/api/v1/cases/${caseId}/messages`, { content: { text: 'Choose one' } }, admin, { 'Idempotency-Key': 'k-1' });
    expect(repeat.body.id).toBe(reply.body.id);
    const note = await t.http.post(`/api/v1/cases/${caseId}/messages`, { content: { text: 'internal: VIP customer' }, internal: true }, admin);
    expect(note.status).toBe(201);
    expect(note.body.internal).toBe(true);

    const sent = await waitFor(async () => {
      const m = (await t.http.get(`/api/v1/cases/${caseId}/messages`, admin)).body.items.find((x: { id: string }) => x.id === reply.body.id);
      return m.status === 'sent' && m;
    }, 10_000, 'sent');
    expect(sent.externalId).toBe('out-1');
    expect(byoc.received).toHaveLength(1);
    const callback = byoc.received[0]!;
    expect(callback.validSignature).toBe(true);
    expect(callback.body).toMatchObject({ messageId: reply.body.id, caseId, threadId: 'r-1', to: { id: 'replyee' } });
    // The integrator declared buttons: they stay native.
    expect(callback.body.content.buttons).toEqual([{ title: 'Refund', payload: 'REFUND' }, { title: 'Track', payload: 'TRACK' }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(byoc.received.map((r) => r.raw).join()).not.toContain('VIP customer');

    // History is oldest first and holds the note apart.
    const history = (await t.http.get(`/api/v1/cases/${caseId}/messages`, admin)).body.items;
    expect(history.map((m: { direction: string; internal: boolean }) => [m.direction, m.internal])).toEqual([
      ['inbound', false],
      ['outbound', false],
      ['outbound', true],
    ]);

    // The customer answers "2": it arrives as the postback of the second option.
    const answer = await byoc.send(t.http, channelId, message({ from: { id: 'replyee' }, threadId: 'r-1', content: { text: ' 2 ' } }));
    const stored = (await t.http.get(`/api/v1/cases/${caseId}/messages`, admin)).body.items.find((m: { id: string }) => m.id === answer.body.id);
    expect(stored.content.postback).toEqual({ payload: 'TRACK', title: 'Track' });
  });

  it('retries a failing callback with backoff until it succeeds, then applies statuses forward only', async () => {
    byoc.received.length = 0;
    byoc.respond = (k) => (k <= 2 ? { status: 503, body: { error: 'busy' } } : { status: 200, body: { externalId: 'after-retries' } });
    const inbound = await byoc.send(t.http, channelId, message({ from: { id: 'retry' } }));
    const reply = await t.http.post(`/api/v1/cases/${inbound.body.caseId}/messages`, { content: { text: 'Hello' } }, admin);
    const agent = new AgentSocket(t.url, admin);
    await agent.connected();
    try {
      const sent = await waitFor(async () => {
        const m = (await t.http.get(`/api/v1/cases/${inbound.body.caseId}/messages`, admin)).body.items.find((x: { id: string }) => x.id === reply.body.id);
        return m.status === 'sent' && m;
      }, 15_000, 'sent after retries');
      expect(sent.externalId).toBe('after-retries');
      expect(byoc.received).toHaveLength(3);
      expect(byoc.received.every((r) => r.validSignature)).toBe(true);

      const status = (s: string) => byoc.send(t.http, channelId, { type: 'status', messageId: reply.body.id, status: s });
      expect((await status('read')).status).toBe(200);
      expect((await status('delivered')).status).toBe(200);
      const m = (await t.http.get(`/api/v1/cases/${inbound.body.caseId}/messages`, admin)).body.items.find((x: { id: string }) => x.id === reply.body.id);
      expect(m.status).toBe('read');
      await waitFor(() => agent.of('message.updated').some((e) => e.data.message.status === 'read'), 5000, 'message.updated read');
      expect(agent.of('message.updated').map((e) => e.data.message.status)).not.toContain('delivered');
    } finally {
      agent.close();
    }
  });

  it('fails a message after the last attempt with the provider reason', async () => {
    byoc.respond = () => ({ status: 500, body: { error: 'integrator down' } });
    const inbound = await byoc.send(t.http, channelId, message({ from: { id: 'doomed' } }));
    const reply = await t.http.post(`/api/v1/cases/${inbound.body.caseId}/messages`, { content: { text: 'Hello?' } }, admin);
    const failed = await waitFor(async () => {
      const m = (await t.http.get(`/api/v1/cases/${inbound.body.caseId}/messages`, admin)).body.items.find((x: { id: string }) => x.id === reply.body.id);
      return m.status === 'failed' && m;
    }, 20_000, 'failed');
    expect(failed.error).toMatch(/500/);
    byoc.respond = (k) => ({ status: 200, body: { externalId: `out-${k}` } });
  });

  it('gives a reconnecting client exactly the events it missed', async () => {
    const socket = new AgentSocket(t.url, agentToken);
    await socket.connected();
    await byoc.send(t.http, channelId, message({ from: { id: 'before-blip' } }));
    await waitFor(() => socket.of('message.created').length > 0, 5000, 'first event');
    const lastSeen = Math.max(...socket.events.map((e) => e.seq));
    socket.close();

    const missed = [];
    for (let i = 0; i < 3; i++) missed.push((await byoc.send(t.http, channelId, message({ from: { id: `during-blip-${i}` } }))).body.id);
    const res = await t.http.get(`/api/v1/events?after=${lastSeen}`, agentToken);
    expect(res.status).toBe(200);
    const messageIds = res.body.items.filter((e: { type: string }) => e.type === 'message.created').map((e: any) => e.data.message.id);
    expect(messageIds).toEqual(missed);
    expect(res.body.items.map((e: { type: string }) => e.type)).toEqual(['case.created', 'message.created', 'case.created', 'message.created', 'case.created', 'message.created']);
    const seqs = res.body.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(seqs[0]).toBeGreaterThan(lastSeen);
    expect(res.body.lastSeq).toBe(seqs[seqs.length - 1]);
    const nothingNew = await t.http.get(`/api/v1/events?after=${res.body.lastSeq}`, agentToken);
    expect(nothingNew.body.items).toEqual([]);
    expect((await t.http.get('/api/v1/events?limit=501', agentToken)).status).toBe(400);
  });

  describe('bad webhooks store nothing', () => {
    const expectNothingStored = async (fn: () => Promise<{ status: number; body: any }>, status: number, code?: string) => {
      const before = [await count('messages'), await count('cases'), await count('contacts')];
      const res = await fn();
      expect(res.status).toBe(status);
      if (code) expect(res.body.code).toBe(code);
      expect([await count('messages'), await count('cases'), await count('contacts')]).toEqual(before);
    };

    it('401 on a bad or missing signature', async () => {
      await expectNothingStored(() => byoc.send(t.http, channelId, message(), { secret: 'wrong-secret-wrong-secret' }), 401, 'INVALID_SIGNATURE');
      await expectNothingStored(() => t.http.request('POST', `/webhooks/${channelId}`, { raw: JSON.stringify(message()), headers: { 'content-type': 'application/json' } }), 401, 'INVALID_SIGNATURE');
    });

    it('401 on a stale timestamp', async () => {
      await expectNothingStored(() => byoc.send(t.http, channelId, message(), { nowMs: Date.now() - 301_000 }), 401, 'INVALID_SIGNATURE');
    });

    it('400 on a malformed body', async () => {
      await expectNothingStored(() => byoc.send(t.http, channelId, null, { raw: '{"type": "message", ' }), 400, 'MALFORMED_PAYLOAD');
      await expectNothingStored(() => byoc.send(t.http, channelId, { type: 'message', from: { id: 'x' }, content: { text: 'no id' } }), 400, 'MALFORMED_PAYLOAD');
    });

    it('404 on an unknown or disabled channel', async () => {
      await expectNothingStored(() => byoc.send(t.http, '00000000-0000-4000-8000-000000000000', message()), 404, 'NOT_FOUND');
      await expectNothingStored(() => byoc.send(t.http, 'not-a-uuid', message()), 404, 'NOT_FOUND');
      const disabled = await t.http.post('/api/v1/channels', { type: 'byoc', name: 'Off', defaultSkillId: skillId, enabled: false, config: { callbackUrl: 'https://x.example.com/cb' } }, admin);
      await expectNothingStored(() => byoc.send(t.http, disabled.body.id, message(), { secret: disabled.body.secret }), 404, 'NOT_FOUND');
    });

    it('413 on an oversize body, in the API error shape', async () => {
      await expectNothingStored(() => byoc.send(t.http, channelId, message({ content: { text: 'x'.repeat(1_100_000) } })), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('503 when the database cannot store, never a 2xx', async () => {
      // Warm the channel cache, then take the database away.
      await byoc.send(t.http, channelId, message({ from: { id: 'pre-outage' } }));
      await db().destroy();
      const res = await byoc.send(t.http, channelId, message({ from: { id: 'during-outage' } }));
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('UNAVAILABLE');
    });
  });
});
