import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { GraphApiFake } from './fakes/graph-api.fake';
import { AgentSocket } from './support/agent-socket';
import { ByocIntegrator, waitFor } from './support/byoc-integrator';
import { adminWithSkill, countRows, messagesOf, queryRows, type Admin } from './support/channel-helpers';
import { startApp, type TestApp } from './support/test-app';

// Issue 9: inbound messages from concurrent requests are stored in batches (one transaction per
// batch). Whatever the batching, every message is stored once, every duplicate answered with
// its original, every event pushed once, the messages of one request kept in order, and one bad
// message fails alone.
const APP_SECRET = 'batch-e2e-app-secret';

describe('Batched ingest', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  let waChannelId: string;
  const byoc = new ByocIntegrator();
  const graph = new GraphApiFake();
  let n = 0;
  const message = (from: string, threadId?: string) => ({
    type: 'message',
    messageId: `burst-${++n}`,
    from: { id: from, name: `Customer ${from}` },
    timestamp: new Date().toISOString(),
    content: { text: `message ${n} from ${from}` },
    ...(threadId && { threadId }),
  });

  before(async () => {
    await graph.listen();
    t = await startApp();
    admin = await adminWithSkill(t);
    const callbackUrl = await byoc.listen();
    const channel = await t.http.post('/api/v1/channels', { type: 'byoc', name: 'Burst', defaultSkillId: admin.skillId, config: { callbackUrl } }, admin.token);
    channelId = channel.body.id;
    byoc.secret = channel.body.secret;
    const wa = await t.http.post(
      '/api/v1/channels',
      { type: 'whatsapp', name: 'WA', defaultSkillId: admin.skillId, config: { provider: 'cloud', phoneNumberId: '106540352242922', accessToken: 'wa-token', appSecret: APP_SECRET, verifyToken: 'verify', apiBaseUrl: graph.baseUrl } },
      admin.token,
    );
    expect(wa.status).toBe(201);
    waChannelId = wa.body.id;
  });
  after(async () => {
    await byoc.close();
    await t.stop();
    await graph.close();
  });

  it('stores a burst of concurrent webhooks once each, answers in-flight copies as duplicates of their original, and pushes every event once', async () => {
    const socket = new AgentSocket(t.url, admin.token);
    await socket.connected();
    try {
      // 12 customers, a few with threads, 150 messages; 30 of them sent twice at the same moment.
      const originals = Array.from({ length: 150 }, (_, i) => message(`c${i % 12}`, i % 12 < 3 ? `thread-${Math.floor(i / 12) % 2}` : undefined));
      const copies = originals.filter((_, i) => i % 5 === 0);
      const sent = [...originals, ...copies].map((m) => byoc.send(t.http, channelId, m).then((res) => ({ m, res })));
      const results = await Promise.all(sent);
      expect(results.filter((r) => r.res.status !== 200)).toEqual([]);

      const byMessageId = new Map<string, Array<{ id: string; caseId: string; duplicate: boolean }>>();
      for (const { m, res } of results) byMessageId.set(m.messageId, [...(byMessageId.get(m.messageId) ?? []), res.body]);
      for (const [messageId, answers] of byMessageId) {
        // Every copy names the same stored message; exactly one of them is the original.
        expect(new Set(answers.map((a) => a.id)).size).toBe(1);
        expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
        expect(answers).toHaveLength(copies.some((c) => c.messageId === messageId) ? 2 : 1);
      }
      expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [channelId])).toBe(150);
      // One case per customer and thread: 9 without a thread, 3 customers × 2 threads.
      expect(await countRows(t, 'SELECT count(*)::int AS n FROM cases WHERE channel_id = $1', [channelId])).toBe(9 + 6);

      await waitFor(() => socket.of('message.created').length >= 150, 15_000, '150 message.created');
      await new Promise((r) => setTimeout(r, 300));
      const pushed = socket.of('message.created').map((e) => e.data.message.id as string);
      expect(pushed).toHaveLength(150);
      expect(new Set(pushed)).toEqual(new Set([...byMessageId.values()].map((a) => a[0]!.id)));
      // Sequence numbers are unique and increasing as delivered, and every case was announced
      // (once) before its first message.
      const seqs = socket.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      const created = socket.of('case.created');
      expect(created).toHaveLength(15);
      for (const c of created) {
        const first = socket.of('message.created').find((e) => e.data.caseId === c.data.id)!;
        expect(c.seq).toBeLessThan(first.seq);
      }
      // The same stream over HTTP (a client that reconnects) holds the same events once.
      const replay: Array<{ type: string; seq: number }> = [];
      for (let after = seqs[0]! - 1; ; ) {
        const page = (await t.http.get(`/api/v1/events?after=${after}&limit=500`, admin.token)).body;
        replay.push(...page.items);
        if (page.items.length < 500) break;
        after = page.lastSeq;
      }
      expect(replay.map((e) => e.seq)).toEqual(seqs);
    } finally {
      socket.close();
    }
  });

  it('gives senders that share an email one contact, whether they arrive together or after a known contact', async () => {
    const mail = (id: string, email: string) => ({ ...message(id), from: { id, name: `Sender ${id}`, email } });
    // Three new senders with one email, in one burst: one contact, three identities.
    const burst = await Promise.all(['m1', 'm2', 'm3'].map((id) => byoc.send(t.http, channelId, mail(id, 'Shared@Example.com'))));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200]);
    const contactsOf = async (ids: string[]) =>
      queryRows<{ contact_id: string }>(t, 'SELECT DISTINCT contact_id FROM contact_identities WHERE channel_type = $1 AND address = ANY($2::text[])', ['byoc', ids]);
    expect(await contactsOf(['m1', 'm2', 'm3'])).toHaveLength(1);
    // A later sender with that email joins the same contact; another email makes its own.
    await byoc.send(t.http, channelId, mail('m4', 'shared@example.com'));
    await byoc.send(t.http, channelId, mail('m5', 'other@example.com'));
    expect(await contactsOf(['m1', 'm4'])).toHaveLength(1);
    expect(await contactsOf(['m1', 'm5'])).toHaveLength(2);
    const [contact] = await contactsOf(['m1']);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM contact_identities WHERE contact_id = $1', [contact!.contact_id])).toBe(4);
  });

  it('keeps the messages of one webhook in their order, with increasing times, in one case', async () => {
    const payload = JSON.parse(readFileSync(join(__dirname, '..', 'channels', 'whatsapp', 'fixtures', 'whatsapp-cloud-text.json'), 'utf8'));
    const value = payload.entry[0].changes[0].value;
    const template = value.messages[0];
    value.contacts[0].wa_id = '5511999990001';
    value.messages = ['first', 'second', 'third', 'fourth'].map((body, i) => ({ ...template, from: '5511999990001', id: `wamid.order${i}`, text: { body } }));
    const raw = JSON.stringify(payload);
    const res = await t.http.request('POST', `/webhooks/${waChannelId}`, {
      raw,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}` },
    });
    expect(res.status).toBe(200);
    const [row] = await queryRows<{ case_id: string }>(t, 'SELECT case_id FROM messages WHERE channel_id = $1 AND provider_message_id = $2', [waChannelId, 'wamid.order0']);
    const history = await messagesOf(t, admin.token, row!.case_id);
    expect(history.map((m: { content: { text: string } }) => m.content.text)).toEqual(['first', 'second', 'third', 'fourth']);
    const times = history.map((m: { createdAt: string }) => Date.parse(m.createdAt));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]!);
  });

  it('fails only the message the database refuses; the rest of its batch is stored, and the refused one is stored when redelivered', async () => {
    // A fault injected into the real database: one provider id cannot be inserted for now.
    await queryRows(t, `CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.provider_message_id = 'poison' THEN RAISE EXCEPTION 'poisoned message'; END IF; RETURN NEW; END $$`);
    await queryRows(t, 'CREATE TRIGGER refuse_poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_poison()');
    const poison = { ...message('p1'), messageId: 'poison' };
    try {
      const others = Array.from({ length: 20 }, (_, i) => message(`p${i % 4}`));
      const results = await Promise.all([poison, ...others].map((m) => byoc.send(t.http, channelId, m)));
      expect(results[0]!.status).toBeGreaterThanOrEqual(500);
      expect(results.slice(1).map((r) => r.status)).toEqual(others.map(() => 200));
      const stored = await queryRows<{ provider_message_id: string }>(t, 'SELECT provider_message_id FROM messages WHERE channel_id = $1 AND provider_message_id = ANY($2::text[])', [
        channelId,
        [poison.messageId, ...others.map((m) => m.messageId)],
      ]);
      expect(stored.map((r) => r.provider_message_id).sort()).toEqual(others.map((m) => m.messageId).sort());
    } finally {
      await queryRows(t, 'DROP TRIGGER refuse_poison ON messages');
      await queryRows(t, 'DROP FUNCTION refuse_poison()');
    }
    const retry = await byoc.send(t.http, channelId, poison);
    expect(retry.status).toBe(200);
    expect(retry.body.duplicate).toBe(false);
  });
});
