import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from 'expect';
import twilio from 'twilio';
import { GraphApiFake, graphError } from './fakes/graph-api.fake';
import { TwilioApiFake } from './fakes/twilio-api.fake';
import { adminWithSkill, countRows, messageOf, messagesOf, settled, type Admin } from './support/channel-helpers';
import { startApp, type TestApp } from './support/test-app';

// Issue 5, WhatsApp end to end: Cloud API (Meta's signed notifications in, a local Graph out) and
// WhatsApp via Twilio.
const APP_SECRET = '0a9b8c7d6e5f40312a3b4c5d6e7f8091';
const ACCESS_TOKEN = 'wa-e2e-access-token';
const VERIFY_TOKEN = 'wa-e2e-verify-token';
const PHONE_NUMBER_ID = '106540352242922';
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'channels', 'whatsapp', 'fixtures', name), 'utf8');
const json = (name: string) => JSON.parse(fixture(name));

describe('WhatsApp channel via the Cloud API', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  const graph = new GraphApiFake();
  let n = 0;

  const post = (raw: string, secret = APP_SECRET) =>
    t.http.request('POST', `/webhooks/${channelId}`, {
      raw,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
    });
  // A text from `waId`, sent `ageSeconds` ago, built on the recorded fixture.
  const text = (waId: string, body: string, ageSeconds = 0) => {
    const payload = json('whatsapp-cloud-text.json');
    const value = payload.entry[0].changes[0].value;
    value.contacts[0].wa_id = waId;
    Object.assign(value.messages[0], { from: waId, id: `wamid.e2e${++n}`, timestamp: String(Math.floor(Date.now() / 1000) - ageSeconds), text: { body } });
    return post(JSON.stringify(payload));
  };
  const status = (wamid: string, value: string, errors?: unknown[]) => {
    const payload = json('whatsapp-cloud-status.json');
    Object.assign(payload.entry[0].changes[0].value.statuses[0], { id: wamid, status: value, ...(errors && { errors }) });
    return post(JSON.stringify(payload));
  };
  const caseOf = async (id: string) => (await t.http.get(`/api/v1/cases?q=${encodeURIComponent(id)}`, admin.token)).body.items[0].id as string;
  const reply = (caseId: string, content: unknown) => t.http.post(`/api/v1/cases/${caseId}/messages`, { content }, admin.token);

  before(async () => {
    graph.accessToken = ACCESS_TOKEN;
    await graph.listen();
    t = await startApp({ env: { OUTBOUND_MAX_ATTEMPTS: '3' } });
    admin = await adminWithSkill(t);
    const channel = await t.http.post(
      '/api/v1/channels',
      { type: 'whatsapp', name: 'WhatsApp', defaultSkillId: admin.skillId, config: { provider: 'cloud', phoneNumberId: PHONE_NUMBER_ID, accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, apiBaseUrl: graph.baseUrl } },
      admin.token,
    );
    expect(channel.status).toBe(201);
    channelId = channel.body.id;
  });
  after(async () => {
    await t.stop();
    await graph.close();
  });
  beforeEach(() => {
    graph.sends.length = 0;
    graph.respond = () => undefined;
  });

  it('answers the hub.challenge handshake with the verify token only', async () => {
    const ok = await t.http.get(`/webhooks/${channelId}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('1158201444');
    expect((await t.http.get(`/webhooks/${channelId}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`)).status).toBe(401);
    expect((await t.http.get(`/webhooks/${channelId}`)).status).toBe(401);
  });

  it('stores the recorded notifications byte for byte as signed, once each, with media resolved through Graph', async () => {
    const headers = (name: string) => ({ 'content-type': 'application/json', 'x-hub-signature-256': JSON.parse(fixture('signatures.json'))[name].headers['X-Hub-Signature-256'] });
    for (const name of ['whatsapp-cloud-text.json', 'whatsapp-cloud-button-reply.json', 'whatsapp-cloud-list-reply.json', 'whatsapp-cloud-image.json', 'whatsapp-cloud-image.json']) {
      const res = await t.http.request('POST', `/webhooks/${channelId}`, { raw: fixture(name), headers: headers(name) });
      expect(res.status).toBe(200);
      // Meta reads only the status: a plain JSON acknowledgement, never the TwiML Twilio gets.
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.text).not.toContain('<Response');
      expect(res.body).toMatchObject({ caseId: expect.any(String) });
    }
    const cases = (await t.http.get('/api/v1/cases?channelType=whatsapp', admin.token)).body.items;
    expect(cases).toHaveLength(1);
    expect(cases[0].contact).toMatchObject({ name: 'Jana Müller', identities: [{ channelType: 'whatsapp', address: '4915112345678' }] });
    const contents = (await messagesOf(t, admin.token, cases[0].id)).map((m) => m.content);
    expect(contents).toEqual([
      { text: 'Hallo! Where is my order #98765? Grüße' },
      { postback: { payload: 'resend_yes', title: 'Yes, resend it' } },
      { postback: { payload: 'ship_express', title: 'Express (1-2 days)' } },
      { text: 'Damaged box', attachments: [{ url: expect.stringMatching(/^http:\/\/localhost:\d+\/media\/[0-9a-f-]{36}\/[\w-]+$/), contentType: 'image/jpeg' }] },
    ]);
    // The short-lived Graph download URL was fetched with the bearer token and copied.
    const stored = await fetch(`${t.url}${new URL(contents[3].attachments[0].url).pathname}`);
    expect(Buffer.from(await stored.arrayBuffer())).toEqual(graph.mediaBytes);
    // Each delivery resolves its media before dedupe (the core decides duplicates at storage).
    expect(new Set(graph.mediaLookups)).toEqual(new Set(['1466328907753451']));
  });

  it('answers 401 and stores nothing on a wrong signature', async () => {
    const before = await countRows(t, 'SELECT count(*)::int AS n FROM messages');
    const payload = json('whatsapp-cloud-text.json');
    payload.entry[0].changes[0].value.messages[0].id = 'wamid.forged';
    const res = await post(JSON.stringify(payload), 'not-the-app-secret');
    expect(res.status).toBe(401);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages')).toBe(before);
  });

  it('enforces the 24-hour window from the customer message timestamp: free text 409, template passes', async () => {
    await text('4915100000001', 'old question', 25 * 3600);
    const caseId = await caseOf('old question');
    const refused = await reply(caseId, { text: 'Sorry for the delay' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('WINDOW_CLOSED');

    const template = json('whatsapp-cloud-send-template.json');
    const button = template.template.components[1];
    const accepted = await reply(caseId, { template: { name: 'order_followup', language: 'en_US', parameters: ['Jana', '98765', button] } });
    expect(accepted.status).toBe(201);
    expect(await settled(t, admin.token, caseId, accepted.body.id)).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^wamid\./) });
    expect(graph.sends.map((s) => s.body)).toEqual([{ ...template, to: '4915100000001' }]);

    // A new message from the customer opens the window again.
    await text('4915100000001', 'hello again');
    const reopened = await reply(caseId, { text: 'Welcome back' });
    expect(reopened.status).toBe(201);
    expect((await settled(t, admin.token, caseId, reopened.body.id)).status).toBe('sent');
  });

  it('sends native buttons, lists and text as Meta documents them, and applies statuses forward only', async () => {
    await text('4915100000002', 'need shipping help');
    const caseId = await caseOf('need shipping help');
    const buttons = await reply(caseId, {
      text: 'Your parcel was returned to us. Shall we resend it?',
      buttons: [
        { title: 'Yes, resend it', payload: 'resend_yes' },
        { title: 'Refund instead', payload: 'resend_refund' },
        { title: 'Talk to an agent', payload: 'agent' },
      ],
    });
    const sent = await settled(t, admin.token, caseId, buttons.body.id);
    const { header: _h, footer: _f, ...interactive } = json('whatsapp-cloud-send-buttons.json').interactive;
    expect(graph.sends[0]!.body).toEqual({ ...json('whatsapp-cloud-send-buttons.json'), to: '4915100000002', interactive });

    const list = await reply(caseId, {
      text: 'How should we ship the replacement?',
      listPicker: { title: 'Choose shipping', items: [{ title: 'Standard (3-5 days)', subtitle: 'Free', payload: 'ship_standard' }, { title: 'Express (1-2 days)', subtitle: 'Arrives by Thursday, +4.90 EUR', payload: 'ship_express' }] },
    });
    await settled(t, admin.token, caseId, list.body.id);
    expect(graph.sends[1]!.body.interactive).toEqual({
      type: 'list',
      body: { text: 'How should we ship the replacement?' },
      action: { button: 'Choose shipping', sections: [{ rows: [{ id: 'ship_standard', title: 'Standard (3-5 days)', description: 'Free' }, { id: 'ship_express', title: 'Express (1-2 days)', description: 'Arrives by Thursday, +4.90 EUR' }] }] },
    });

    // Markdown becomes WhatsApp markup.
    const plain = await reply(caseId, { text: '**Order 98765** is on its way. Track it here: https://track.example.com/98765', format: 'markdown' });
    await settled(t, admin.token, caseId, plain.body.id);
    expect(graph.sends[2]!.body).toEqual({ ...json('whatsapp-cloud-send-text.json'), to: '4915100000002' });

    for (const value of ['read', 'delivered', 'sent']) expect((await status(sent.externalId, value)).status).toBe(200);
    expect((await messageOf(t, admin.token, caseId, buttons.body.id)).status).toBe('read');
  });

  it('fails on 131047 with the reason, retries a 5xx, and marks the channel when the token is revoked', async () => {
    await text('4915100000003', 'error cases please');
    const caseId = await caseOf('error cases please');

    graph.respond = () => graphError(400, 131047, 'Re-engagement message');
    const window = await reply(caseId, { text: 'one' });
    expect(await settled(t, admin.token, caseId, window.body.id)).toMatchObject({ status: 'failed', error: 'Outside the 24-hour window: only templates can be sent (131047)' });

    graph.sends.length = 0;
    graph.respond = (k) => (k === 1 ? graphError(500, 2, 'Service temporarily unavailable') : undefined);
    const flaky = await reply(caseId, { text: 'two' });
    expect((await settled(t, admin.token, caseId, flaky.body.id)).status).toBe('sent');
    expect(graph.sends).toHaveLength(2);

    await status((await messageOf(t, admin.token, caseId, flaky.body.id)).externalId, 'failed', [{ code: 131026, title: 'Message undeliverable' }]);
    expect(await messageOf(t, admin.token, caseId, flaky.body.id)).toMatchObject({ status: 'failed', error: 'Message undeliverable (131026)' });

    graph.respond = () => graphError(401, 190, 'Error validating access token: Session has expired');
    const revoked = await reply(caseId, { text: 'three' });
    expect((await settled(t, admin.token, caseId, revoked.body.id)).status).toBe('failed');
    expect((await t.http.get(`/api/v1/channels/${channelId}`, admin.token)).body.health).toBe('needs_attention');
  });
});

describe('WhatsApp channel via Twilio', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  let webhookUrl: string;
  const fake = new TwilioApiFake();
  const AUTH_TOKEN = 'f3a1c9e2b7d44e0a9c6b5d8e7f1a2b3c';

  const post = (raw: string) => {
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, webhookUrl, Object.fromEntries(new URLSearchParams(raw)));
    return t.http.request('POST', `/webhooks/${channelId}`, { raw, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } });
  };

  before(async () => {
    await fake.listen();
    t = await startApp();
    admin = await adminWithSkill(t);
    const channel = await t.http.post(
      '/api/v1/channels',
      { type: 'whatsapp', name: 'WA Twilio', defaultSkillId: admin.skillId, config: { provider: 'twilio', accountSid: 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9', authToken: AUTH_TOKEN, from: 'whatsapp:+14155238886', apiBaseUrl: fake.baseUrl } },
      admin.token,
    );
    channelId = channel.body.id;
    webhookUrl = channel.body.webhookUrl;
  });
  after(async () => {
    await t.stop();
    await fake.close();
  });

  it('stores a signed inbound WhatsApp message and replies from the whatsapp: sender, options as text', async () => {
    const res = await post(fixture('twilio-whatsapp-inbound.form'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const [kase] = (await t.http.get('/api/v1/cases?channelType=whatsapp', admin.token)).body.items;
    expect(kase.contact).toMatchObject({ name: 'Jana Müller', identities: [{ address: 'whatsapp:+4915112345678' }] });
    expect((await messagesOf(t, admin.token, kase.id))[0].content.attachments).toHaveLength(1);

    const answer = await t.http.post(`/api/v1/cases/${kase.id}/messages`, { content: { text: 'Which one?', buttons: [{ title: 'Resend', payload: 'resend' }] } }, admin.token);
    expect((await settled(t, admin.token, kase.id, answer.body.id)).status).toBe('sent');
    expect(Object.fromEntries(fake.sends[0]!.form)).toEqual({ From: 'whatsapp:+14155238886', To: 'whatsapp:+4915112345678', Body: 'Which one?\n\n1. Resend', StatusCallback: webhookUrl });

    const wrong = await t.http.request('POST', `/webhooks/${channelId}`, { raw: fixture('twilio-whatsapp-button-reply.form'), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'BWt0G1NUVT3haYBEeO5ceFQtrXM=' } });
    expect(wrong.status).toBe(401);
  });
});
