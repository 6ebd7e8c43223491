import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { ADMIN, dropDatabase, PLATFORM_TOKEN, startApp, type TestApp } from './support/test-app';
import { VALID_CONFIGS, INVALID_CONFIGS } from './support/channel-configs';
import { withCleanup } from './support/cleanup';

// Fastify warns (FSTWRN004) when an error handler replaces another in the same scope: the first
// one silently stops handling anything. Nest installs the app's own; nothing may override it.
describe('Foundation: start', () => {
  it('starts and serves without any Fastify warning (FSTWRN004: error handler overridden)', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      const app = await startApp();
      try {
        // A request on each kind of route: Nest's, and the webhook's own Fastify context.
        expect((await app.http.get('/health')).status).toBe(200);
        expect((await app.http.post('/webhooks/00000000-0000-4000-8000-000000000000', {})).status).toBe(404);
      } finally {
        await app.stop();
      }
      // process.emitWarning reports on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings.filter((w) => w.name === 'FastifyWarning' || (w as { code?: string }).code?.startsWith('FST')).map((w) => `${(w as { code?: string }).code}: ${w.message}`)).toEqual([]);
  });
});

describe('Foundation: tenants, users, skills, auth, channel admin', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await startApp();
    admin = await t.http.login();
  });
  after(() => t?.stop());

  const db = () => t.app.get<DataSource>(getDataSourceToken());
  const count = async (table: string) => Number((await db().query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  it('runs every migration from an empty database and answers /health', async () => {
    const applied = await db().query('SELECT name FROM migrations');
    expect(applied.length).toBeGreaterThan(0);
    expect((await t.http.get('/health')).body).toEqual({ status: 'ok', database: 'ok' });
  });

  describe('login', () => {
    it('issues a JWT with the user', async () => {
      const res = await t.http.post('/api/v1/auth/login', ADMIN);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ accessToken: expect.any(String), expiresIn: expect.any(Number), user: { email: ADMIN.email, role: 'admin', tenantId: expect.any(String) } });
      expect(res.body.user.passwordHash).toBeUndefined();
    });

    it('answers 401 without saying whether the email or the password was wrong', async () => {
      const wrongPassword = await t.http.post('/api/v1/auth/login', { email: ADMIN.email, password: 'nope-nope-nope' });
      const unknownEmail = await t.http.post('/api/v1/auth/login', { email: 'ghost@test.local', password: ADMIN.password });
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      expect(wrongPassword.body).toEqual(unknownEmail.body);
      expect(wrongPassword.body.code).toBe('INVALID_CREDENTIALS');
    });

    it('rejects a missing or forged token', async () => {
      expect((await t.http.get('/api/v1/skills')).status).toBe(401);
      const res = await t.http.get('/api/v1/skills', admin.slice(0, -4) + 'AAAA');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('roles', () => {
    let agent: string;
    before(async () => {
      const skill = await t.http.post('/api/v1/skills', { name: 'roles-skill' }, admin);
      const res = await t.http.post('/api/v1/users', { email: 'agent@test.local', name: 'Agent', password: 'agent-password', role: 'agent', skillIds: [skill.body.id] }, admin);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ role: 'agent', skillIds: [skill.body.id] });
      expect(JSON.stringify(res.body)).not.toContain('agent-password');
      agent = await t.http.login('agent@test.local', 'agent-password');
    });

    it('gives an agent 403 on admin routes', async () => {
      for (const [method, path, body] of [
        ['POST', '/api/v1/skills', { name: 'x' }],
        ['POST', '/api/v1/users', { email: 'y@test.local', name: 'y', password: 'password-y', role: 'agent' }],
        ['POST', '/api/v1/channels', { type: 'chat', name: 'c', defaultSkillId: '00000000-0000-4000-8000-000000000000', config: {} }],
        ['GET', '/api/v1/channels', undefined],
      ] as const) {
        const res = await t.http.request(method, path, { body, token: agent });
        expect([method, path, res.status, res.body.code]).toEqual([method, path, 403, 'FORBIDDEN']);
      }
    });

    it('rejects a duplicate email with 409 CONFLICT', async () => {
      const res = await t.http.post('/api/v1/users', { email: 'AGENT@test.local', name: 'Again', password: 'agent-password', role: 'agent' }, admin);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
    });
  });

  describe('tenancy', () => {
    it('creates tenants only with the platform token', async () => {
      const body = { name: 'Acme', admin: { email: 'boss@acme.test', password: 'acme-password', name: 'Boss' } };
      expect((await t.http.post('/api/v1/tenants', body)).status).toBe(401);
      expect((await t.http.post('/api/v1/tenants', body, 'wrong-token-wrong-token')).status).toBe(401);
      const res = await t.http.post('/api/v1/tenants', body, PLATFORM_TOKEN);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), name: 'Acme' });
    });

    it("gives tenant B 404 for tenant A's user, skill and channel", async () => {
      await t.http.post('/api/v1/tenants', { name: 'B', admin: { email: 'b@b.test', password: 'b-password', name: 'B' } }, PLATFORM_TOKEN);
      const b = await t.http.login('b@b.test', 'b-password');
      const skill = await t.http.post('/api/v1/skills', { name: 'a-only' }, admin);
      const user = await t.http.post('/api/v1/users', { email: 'a-user@test.local', name: 'A', password: 'a-password', role: 'agent' }, admin);
      const channel = await t.http.post('/api/v1/channels', { type: 'chat', name: 'A chat', defaultSkillId: skill.body.id, config: {} }, admin);
      expect(channel.status).toBe(201);

      expect((await t.http.get(`/api/v1/users/${user.body.id}`, b)).status).toBe(404);
      expect((await t.http.patch(`/api/v1/users/${user.body.id}`, { name: 'hijack' }, b)).status).toBe(404);
      expect((await t.http.get(`/api/v1/channels/${channel.body.id}`, b)).status).toBe(404);
      expect((await t.http.patch(`/api/v1/channels/${channel.body.id}`, { name: 'hijack' }, b)).status).toBe(404);
      expect((await t.http.delete(`/api/v1/channels/${channel.body.id}`, b)).status).toBe(404);
      expect((await t.http.get('/api/v1/skills', b)).body.items).toEqual([]);
      // A's skill is unknown to B: it cannot be used as B's channel default skill.
      const crossSkill = await t.http.post('/api/v1/channels', { type: 'chat', name: 'B chat', defaultSkillId: skill.body.id, config: {} }, b);
      expect(crossSkill.status).toBe(400);
      expect(crossSkill.body.details[0].field).toBe('defaultSkillId');
      expect((await t.http.get(`/api/v1/users/${user.body.id}`, admin)).body.name).toBe('A');
    });
  });

  describe('channels', () => {
    let skillId: string;
    before(async () => {
      skillId = (await t.http.post('/api/v1/skills', { name: 'channels' }, admin)).body.id;
    });

    for (const [type, config] of Object.entries(VALID_CONFIGS)) it(`creates a ${type} channel, with secrets masked and webhookUrl set`, async () => {
      const res = await t.http.post('/api/v1/channels', { type, name: `${type} channel`, defaultSkillId: skillId, config }, admin);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: expect.any(String), type, enabled: true, defaultSkillId: skillId, webhookUrl: `${t.url.replace('127.0.0.1', 'localhost')}/webhooks/${res.body.id}` });
      for (const secret of secretValues(config)) expect(res.text).not.toContain(secret);
      if (type === 'byoc') expect(res.body.secret).toMatch(/^[0-9a-f]{64}$/);
      else expect(res.body.secret).toBeUndefined();
      const again = await t.http.get(`/api/v1/channels/${res.body.id}`, admin);
      for (const secret of secretValues(config)) expect(again.text).not.toContain(secret);
      if (type === 'byoc') expect(again.body.config.secret).toBe('***');
    });

    for (const { type, config, field } of INVALID_CONFIGS) it(`rejects an invalid ${type} config naming ${field}`, async () => {
      const before = await count('channels');
      const res = await t.http.post('/api/v1/channels', { type, name: 'bad', defaultSkillId: skillId, config }, admin);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await count('channels')).toBe(before);
    });

    it('requires defaultSkillId and rejects an unknown type', async () => {
      const missing = await t.http.post('/api/v1/channels', { type: 'chat', name: 'x', config: {} }, admin);
      expect(missing.status).toBe(400);
      expect(missing.body.details[0].field).toBe('defaultSkillId');
      const unknown = await t.http.post('/api/v1/channels', { type: 'pigeon', name: 'x', defaultSkillId: skillId, config: {} }, admin);
      expect(unknown.status).toBe(400);
      expect(unknown.body.details[0].field).toBe('type');
    });

    it('encrypts secrets at rest, keeps them on a "***" PATCH and replaces them on a new value', async () => {
      const created = await t.http.post('/api/v1/channels', { type: 'sms', name: 'sms', defaultSkillId: skillId, config: VALID_CONFIGS.sms }, admin);
      const [row] = await db().query('SELECT config::text AS config, secrets FROM channels WHERE id = $1', [created.body.id]);
      expect(row.config).not.toContain(VALID_CONFIGS.sms.authToken);
      expect(row.secrets).not.toContain(VALID_CONFIGS.sms.authToken);
      expect(row.secrets).toMatch(/^v1\./);

      const kept = await t.http.patch(`/api/v1/channels/${created.body.id}`, { config: { authToken: '***', from: '+15550001111' } }, admin);
      expect(kept.status).toBe(200);
      expect(kept.body.config).toMatchObject({ authToken: '***', from: '+15550001111', accountSid: VALID_CONFIGS.sms.accountSid });
      const [afterKeep] = await db().query('SELECT secrets FROM channels WHERE id = $1', [created.body.id]);
      const service = t.app.get((await import('../src/channels/channels.service')).ChannelsService);
      expect((await service.load(created.body.id))!.context.config.authToken).toBe(VALID_CONFIGS.sms.authToken);
      expect(afterKeep.secrets).not.toContain(VALID_CONFIGS.sms.authToken);

      await t.http.patch(`/api/v1/channels/${created.body.id}`, { config: { authToken: 'a-brand-new-token-value-0000000' } }, admin);
      await new Promise((r) => setTimeout(r, 10));
      expect((await service.load(created.body.id))!.context.config.authToken).toBe('a-brand-new-token-value-0000000');
    });

    it('deletes a channel (gone from the list, 404 afterwards)', async () => {
      const created = await t.http.post('/api/v1/channels', { type: 'chat', name: 'to delete', defaultSkillId: skillId, config: {} }, admin);
      expect((await t.http.delete(`/api/v1/channels/${created.body.id}`, admin)).status).toBe(204);
      expect((await t.http.get(`/api/v1/channels/${created.body.id}`, admin)).status).toBe(404);
      const list = await t.http.get('/api/v1/channels', admin);
      expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(created.body.id);
    });

    it('serves the capability matrix', async () => {
      const res = await t.http.get('/api/v1/channel-types', admin);
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { type: string }) => i.type).sort()).toEqual(['byoc', 'chat', 'email', 'slack', 'sms', 'teams', 'telegram', 'whatsapp']);
      expect(res.body.items.find((i: { type: string }) => i.type === 'byoc')).toMatchObject({ native: [], configurable: true });
    });

    it('never writes a secret, token or password to the logs', async () => {
      const logs = t.logs();
      expect(logs.length).toBeGreaterThan(0);
      for (const config of Object.values(VALID_CONFIGS)) for (const secret of secretValues(config)) expect(logs).not.toContain(secret);
      expect(logs).not.toContain(ADMIN.password);
      expect(logs).not.toContain(admin);
    });
  });

  describe('bad input', () => {
    it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
      const res = await t.http.request('POST', '/api/v1/skills', { raw: '{"name": ', token: admin, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'Malformed JSON body' });
    });

    it('names the field of a wrong type or a missing field', async () => {
      const wrongType = await t.http.post('/api/v1/users', { email: 'z@test.local', name: 'Z', password: 12345678, role: 'agent' }, admin);
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.details[0].field).toBe('password');
      const missing = await t.http.post('/api/v1/users', { name: 'Z', password: 'password-z', role: 'agent' }, admin);
      expect(missing.body.details[0].field).toBe('email');
      const badRole = await t.http.post('/api/v1/users', { email: 'z@test.local', name: 'Z', password: 'password-z', role: 'king' }, admin);
      expect(badRole.body.details[0].field).toBe('role');
      expect((await t.http.get('/api/v1/users', admin)).body.items.map((u: { email: string }) => u.email)).not.toContain('z@test.local');
    });

    it('answers a body over MAX_BODY_BYTES with 413 and stores nothing', async () => {
      const before = await count('skills');
      const res = await t.http.post('/api/v1/skills', { name: 'x'.repeat(1_100_000) }, admin);
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await count('skills')).toBe(before);
    });

    it('publishes OpenAPI at /docs-json and the UI at /docs', async () => {
      const json = await t.http.get('/docs-json');
      expect(json.status).toBe(200);
      expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/channels', '/api/v1/cases', '/webhooks/{channelId}']));
      expect((await t.http.get('/docs')).status).toBe(200);
    });
  });
});

describe('Foundation: persistence across restarts', () => {
  it('keeps data on a restart with the same DATA_DIR (or database)', () =>
    withCleanup(async (cleanup) => {
      const first = await startApp();
      const databaseUrl = (first.app.get<DataSource>(getDataSourceToken()).options as { url?: string }).url;
      // Passed on to the second start, so stop() leaves them: this test made them and removes them.
      cleanup.add('remove the data', async () => {
        if (databaseUrl) await dropDatabase(databaseUrl);
        rmSync(first.dataDir, { recursive: true, force: true });
      });
      let firstRunning = true;
      cleanup.add('stop the first instance', () => firstRunning && first.stop({ keepData: true }));
      const token = await first.http.login();
      await first.http.post('/api/v1/skills', { name: 'survives' }, token);
      firstRunning = false;
      await first.stop({ keepData: true });

      const second = await startApp({ dataDir: first.dataDir, databaseUrl });
      cleanup.add('stop the second instance', () => second.stop({ keepData: true }));
      const again = await second.http.login();
      expect((await second.http.get('/api/v1/skills', again)).body.items.map((s: { name: string }) => s.name)).toContain('survives');
      // The bootstrap ran once: still a single tenant.
      expect(Number((await second.app.get<DataSource>(getDataSourceToken()).query('SELECT count(*)::int AS n FROM tenants'))[0].n)).toBe(1);
    }));
});

function secretValues(config: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string' && /token|secret|password|pass$/i.test(key)) out.push(value);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(config, '');
  return out;
}
