import { after, before, describe, it } from 'node:test';
import { getDataSourceToken } from '@nestjs/typeorm';
import { expect } from 'expect';
import type { DataSource } from 'typeorm';
import { ByocIntegrator, waitFor } from './support/byoc-integrator';
import { tearDown, type TeardownStep } from './support/cleanup';
import { startApp, type TestApp } from './support/test-app';

// Two Parley processes on one PostgreSQL share the outbound queue: every message is delivered
// exactly once (FOR UPDATE SKIP LOCKED), and both accept webhooks without duplicating a message.
// PGlite is a single-process database, so this suite needs DATABASE_URL (CI's second pass).
describe('Several server instances on one database', { skip: process.env.DATABASE_URL ? false : 'needs DATABASE_URL (PostgreSQL)' }, () => {
  let a: TestApp;
  let b: TestApp;
  const byoc = new ByocIntegrator();
  let channelId: string;
  let token: string;

  before(async () => {
    a = await startApp();
    const url = (a.app.get<DataSource>(getDataSourceToken()).options as { url: string }).url;
    b = await startApp({ databaseUrl: url, dataDir: a.dataDir });
    token = await a.http.login();
    const skill = await a.http.post('/api/v1/skills', { name: 'shared' }, token);
    const callbackUrl = await byoc.listen();
    const channel = await a.http.post('/api/v1/channels', { type: 'byoc', name: 'shared', defaultSkillId: skill.body.id, config: { callbackUrl } }, token);
    channelId = channel.body.id;
    byoc.secret = channel.body.secret;
  });
  // Whatever `before` managed to start is stopped, even when it failed halfway.
  after(() =>
    tearDown([
      ['close the integrator', () => byoc.close()],
      ['stop instance B', () => b?.stop({ keepData: true })],
      ['stop instance A', () => a?.stop()],
    ]),
  );

  it('delivers each queued reply exactly once across both workers', async () => {
    const inbound = await byoc.send(a.http, channelId, { type: 'message', messageId: 'multi-1', from: { id: 'shared-user' }, content: { text: 'hi' } });
    const caseId = inbound.body.caseId;
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).http.post(`/api/v1/cases/${caseId}/messages`, { content: { text: `reply ${i}` } }, token)),
    );
    expect(replies.filter((r) => r.status !== 201).map((r) => r.text)).toEqual([]);
    await waitFor(async () => {
      const items = (await a.http.get(`/api/v1/cases/${caseId}/messages?limit=100`, token)).body.items;
      return items.filter((m: { status: string }) => m.status === 'sent').length === 30;
    }, 20_000, 'all sent');
    const delivered = byoc.received.map((r) => r.body.messageId);
    expect(delivered).toHaveLength(30);
    expect(new Set(delivered).size).toBe(30);
  });

  it('starts several instances at once on an empty database: one migrates, the others wait', async () => {
    const base = new URL(process.env.DATABASE_URL!);
    const name = `parley_race_${process.pid}`;
    await a.app.get<DataSource>(getDataSourceToken()).query(`CREATE DATABASE ${name}`);
    base.pathname = `/${name}`;
    // allSettled: an instance that failed to start must not leave the others running.
    const started = await Promise.allSettled([0, 1, 2].map(() => startApp({ databaseUrl: base.toString() })));
    const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      const db = apps[0]!.app.get<DataSource>(getDataSourceToken());
      const migrations = await db.query('SELECT count(*)::int AS n FROM migrations');
      expect(migrations[0].n).toBe(db.migrations.length);
      // The bootstrap tenant is created once, by whichever instance got there first.
      expect((await db.query(`SELECT count(*)::int AS n FROM tenants WHERE name = 'default'`))[0].n).toBe(1);
      for (const app of apps) expect((await app.http.get('/health')).status).toBe(200);
    } finally {
      await tearDown([
        ...apps.map((app, i): TeardownStep => [`stop racing instance ${i + 1}`, () => app.stop({ keepData: true })]),
        ['drop the race database', () => a.app.get<DataSource>(getDataSourceToken()).query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)],
      ]);
    }
  });

  it('stores one message when the same delivery reaches both instances at once', async () => {
    const payload = { type: 'message', messageId: 'multi-race', from: { id: 'racer' }, content: { text: 'once' } };
    const results = await Promise.all([a, b, a, b].map((app) => byoc.send(app.http, channelId, payload)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const rows = await a.app.get<DataSource>(getDataSourceToken()).query(`SELECT count(*)::int AS n FROM messages WHERE provider_message_id = 'multi-race'`);
    expect(rows[0].n).toBe(1);
  });
});
