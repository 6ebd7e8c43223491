import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import twilio from 'twilio';
import { ByocIntegrator } from './support/byoc-integrator';
import { countRows } from './support/channel-helpers';
import { PLATFORM_TOKEN, startApp, type TestApp } from './support/test-app';
import { ensureWebAppBuilt, ensureWidgetBuilt } from './support/web-app-build';

const SMS_AUTH_TOKEN = 'f3a1c9e2b7d44e0a9c6b5d8e7f1a2b3c';

// Issue 8, the server's side of the agent app: the built app served at `/` without shadowing
// any server path, and the reply preview that renders a draft with the channel's own renderer.
describe('Agent app: serving and reply preview', () => {
  let t: TestApp;
  let admin: string;
  let skillId: string;
  let smsCase: string;
  let byocCase: string;
  const byoc = new ByocIntegrator();

  before(async () => {
    ensureWebAppBuilt();
    // The widget keeps its own route next to the app: it must exist to be checked.
    ensureWidgetBuilt();
    t = await startApp();
    admin = await t.http.login();
    skillId = (await t.http.post('/api/v1/skills', { name: 'support' }, admin)).body.id;
    const callbackUrl = await byoc.listen();
    const custom = await t.http.post('/api/v1/channels', { type: 'byoc', name: 'Custom', defaultSkillId: skillId, config: { callbackUrl, capabilities: ['buttons'] } }, admin);
    byoc.secret = custom.body.secret;
    const inbound = (id: string) => byoc.send(t.http, custom.body.id, { type: 'message', messageId: id, from: { id: `user-${id}`, name: 'Ana' }, content: { text: 'Hola' } });
    byocCase = (await inbound('m-1')).body.caseId;
    // An SMS case, from Twilio's recorded inbound webhook re-signed for this server. A preview
    // sends nothing, so the channel needs no API double.
    const sms = await t.http.post(
      '/api/v1/channels',
      { type: 'sms', name: 'SMS', defaultSkillId: skillId, config: { provider: 'twilio', accountSid: 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9', authToken: SMS_AUTH_TOKEN, from: '+14155550100' } },
      admin,
    );
    const form = readFileSync(join(__dirname, '..', 'channels', 'sms', 'fixtures', 'twilio-sms-inbound.form'), 'utf8');
    const signature = twilio.getExpectedTwilioSignature(SMS_AUTH_TOKEN, sms.body.webhookUrl, Object.fromEntries(new URLSearchParams(form)));
    const webhook = await t.http.request('POST', `/webhooks/${sms.body.id}`, { raw: form, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } });
    expect(webhook.status).toBe(200);
    smsCase = (await t.http.get('/api/v1/cases?channelType=sms', admin)).body.items[0].id;
  });
  after(async () => {
    await byoc.close();
    await t.stop();
  });

  it('serves the app at / and answers index.html on client paths, with revalidation', async () => {
    for (const path of ['/', '/cases/0b9f8a3c-1111-4222-8333-444455556666', '/queues']) {
      const res = await t.http.get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.text).toContain('<div id="root"></div>');
    }
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec((await t.http.get('/')).text)![1]!;
    const script = await t.http.get(asset);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toContain('immutable');
  });

  it('never shadows the API, webhooks, docs or health: their own answers and JSON 404s stay', async () => {
    expect((await t.http.get('/health')).body).toEqual({ status: 'ok', database: 'ok' });
    expect((await t.http.get('/docs-json')).body.openapi).toBeDefined();
    expect((await t.http.get('/docs')).text).toMatch(/swagger/i);
    for (const path of ['/api/v1/nothing-here', '/api/v1', '/webhooks', '/assets/missing.js', '/favicon.ico']) {
      const res = await t.http.get(path);
      expect({ path, status: res.status, code: res.body?.code }).toEqual({ path, status: 404, code: 'NOT_FOUND' });
    }
    // The web chat widget keeps its own route: a script, never the app's index.html.
    expect((await t.http.get('/widget.js')).headers.get('content-type')).toMatch(/javascript/);
    expect((await t.http.get('/api/v1/cases')).status).toBe(401);
  });

  it('previews a reply on SMS as the fallback text the customer will get, with its segments', async () => {
    const res = await t.http.post(`/api/v1/cases/${smsCase}/preview`, { content: { text: 'Choose one', buttons: [{ title: 'Refund', payload: 'REFUND' }, { title: 'Track', payload: 'TRACK' }] } }, admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      channelType: 'sms',
      rendered: { text: 'Choose one\n\n1. Refund\n2. Track', format: 'plain' },
      text: 'Choose one\n\n1. Refund\n2. Track',
      options: [
        { index: 1, title: 'Refund', payload: 'REFUND' },
        { index: 2, title: 'Track', payload: 'TRACK' },
      ],
      parts: ['Choose one\n\n1. Refund\n2. Track'],
      sms: { encoding: 'GSM-7', segments: 1, maxSegments: null },
    });
  });

  it("previews natively what the channel renders (a BYOC integrator's declared capabilities), and degrades the rest", async () => {
    const res = await t.http.post(
      `/api/v1/cases/${byocCase}/preview`,
      { content: { text: 'Pick', buttons: [{ title: 'Refund', payload: 'REFUND' }], quickReplies: [{ title: 'Later', payload: 'LATER' }] } },
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.rendered).toEqual({ text: 'Pick\n\n1. Later', format: 'plain', buttons: [{ title: 'Refund', payload: 'REFUND' }] });
    expect(res.body.sms).toBeNull();
  });

  it('refuses invalid content naming the element, stores and sends nothing, and hides other tenants\' cases', async () => {
    const messages = await countRows(t, 'SELECT count(*)::int AS n FROM messages');
    const invalid = await t.http.post(`/api/v1/cases/${byocCase}/preview`, { content: { text: 'x', buttons: [{ title: '', payload: 'A' }] } }, admin);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'INVALID_CONTENT', details: [{ field: 'content.buttons.0.title' }] });
    expect((await t.http.post(`/api/v1/cases/${byocCase}/preview`, { content: {} }, admin)).body.code).toBe('INVALID_CONTENT');
    expect((await t.http.post(`/api/v1/cases/${byocCase}/preview`, { text: 'no content key' }, admin)).status).toBe(400);
    expect((await t.http.post(`/api/v1/cases/${byocCase}/preview`, { content: { text: 'fine' } }, admin)).status).toBe(200);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages')).toBe(messages);
    expect(byoc.received).toHaveLength(0);

    await t.http.post('/api/v1/tenants', { name: 'Other', admin: { email: 'o@o.test', password: 'other-password', name: 'O' } }, PLATFORM_TOKEN);
    const other = await t.http.login('o@o.test', 'other-password');
    expect((await t.http.post(`/api/v1/cases/${byocCase}/preview`, { content: { text: 'hi' } }, other)).status).toBe(404);
    expect((await t.http.post(`/api/v1/cases/${byocCase}/preview`, { content: { text: 'hi' } })).status).toBe(401);
  });

  it('starts without the built app (API only) and logs why', async () => {
    const bare = await startApp({ webAppDir: '/nonexistent/parley-web' });
    try {
      expect((await bare.http.get('/health')).status).toBe(200);
      const root = await bare.http.get('/');
      expect(root.status).toBe(404);
      expect(root.body.code).toBe('NOT_FOUND');
      expect(bare.logs()).toContain('Agent app not served: /nonexistent/parley-web/index.html is missing (run `npm run build:web`)');
    } finally {
      await bare.stop();
    }
  });
});
