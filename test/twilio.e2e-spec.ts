import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from 'expect';
import twilio from 'twilio';
import { TwilioApiFake, twilioError } from './fakes/twilio-api.fake';
import { adminWithSkill, countRows, messageOf, messagesOf, queryRows, settled, type Admin } from './support/channel-helpers';
import { startApp, type TestApp } from './support/test-app';

// Issue 5, SMS through Twilio, end to end: Twilio's signed form posts (the recorded fixtures,
// re-signed for this server's webhook URL) in, the Messages API of a local fake out.
const AUTH_TOKEN = 'f3a1c9e2b7d44e0a9c6b5d8e7f1a2b3c';
const ACCOUNT_SID = 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'channels', 'sms', 'fixtures', name), 'utf8');
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

describe('SMS channel via Twilio', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  let webhookUrl: string;
  const fake = new TwilioApiFake();
  let sid = 0;

  const post = (raw: string, token = AUTH_TOKEN) => {
    const signature = twilio.getExpectedTwilioSignature(token, webhookUrl, Object.fromEntries(new URLSearchParams(raw)));
    return t.http.request('POST', `/webhooks/${channelId}`, { raw, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } });
  };
  // A fresh inbound SMS from `from`, built on the recorded fixture.
  const inbound = (from: string, body: string) => {
    const params = new URLSearchParams(fixture('twilio-sms-inbound.form'));
    const messageSid = `SM${String(++sid).padStart(32, 'a')}`;
    for (const key of ['MessageSid', 'SmsSid', 'SmsMessageSid']) params.set(key, messageSid);
    params.set('From', from);
    params.set('Body', body);
    return post(params.toString());
  };
  const statusCallback = (messageSid: string, status: string, extra: Record<string, string> = {}) => {
    const params = new URLSearchParams(fixture('twilio-status-callback.form'));
    for (const key of ['MessageSid', 'SmsSid']) params.set(key, messageSid);
    params.set('MessageStatus', status);
    params.set('SmsStatus', status);
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    return post(params.toString());
  };
  const reply = (caseId: string, content: unknown) => t.http.post(`/api/v1/cases/${caseId}/messages`, { content }, admin.token);

  before(async () => {
    await fake.listen();
    t = await startApp({ env: { OUTBOUND_MAX_ATTEMPTS: '3' } });
    admin = await adminWithSkill(t);
    const channel = await t.http.post(
      '/api/v1/channels',
      { type: 'sms', name: 'SMS', defaultSkillId: admin.skillId, config: { provider: 'twilio', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+14155550100', apiBaseUrl: fake.baseUrl } },
      admin.token,
    );
    expect(channel.status).toBe(201);
    channelId = channel.body.id;
    webhookUrl = channel.body.webhookUrl;
  });
  after(async () => {
    await t.stop();
    await fake.close();
  });
  beforeEach(() => {
    fake.sends.length = 0;
    fake.respond = () => undefined;
  });

  it('stores a signed inbound SMS as a case and answers empty TwiML; a repeat stores nothing', async () => {
    const raw = fixture('twilio-sms-inbound.form');
    const res = await post(raw);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(res.text).toBe(TWIML);

    const cases = (await t.http.get('/api/v1/cases?channelType=sms', admin.token)).body.items;
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ channelId, channelType: 'sms', contact: { identities: [{ channelType: 'sms', address: '+14155550123' }] } });
    const [message] = await messagesOf(t, admin.token, cases[0].id);
    expect(message).toMatchObject({ direction: 'inbound', status: 'received', content: { text: "Hi, my order #98765 hasn't arrived yet. Can you help?" } });

    expect((await post(raw)).status).toBe(200);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE provider_message_id = $1', ['SM9f8e7d6c5b4a39281706f5e4d3c2b1a0'])).toBe(1);
  });

  it('keeps MMS media as attachments, copied into Parley\'s own storage with the account\'s credentials', async () => {
    expect((await post(fixture('twilio-mms-inbound.form'))).status).toBe(200);
    const rows = await queryRows(t, 'SELECT content FROM messages WHERE provider_message_id = $1', ['MM1a2b3c4d5e6f708192a3b4c5d6e7f809']);
    expect(rows[0]!.content).toEqual({
      text: 'Photo of the damaged box',
      attachments: [{ url: expect.stringMatching(/^http:\/\/localhost:\d+\/media\/[0-9a-f-]{36}\/[\w-]+$/), contentType: 'image/jpeg' }],
    });
    expect(fake.mediaFetches).toContain('ME0f1e2d3c4b5a69788796a5b4c3d2e1f0');
    const url = new URL((rows[0]!.content as { attachments: Array<{ url: string }> }).attachments[0]!.url);
    const file = await fetch(`${t.url}${url.pathname}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(fake.mediaBytes);
    // The URL is its own credential: a wrong token is an unknown file.
    expect((await fetch(`${t.url}${url.pathname.replace(/[^/]+$/, 'x'.repeat(32))}`)).status).toBe(404);
  });

  it('answers 401 and stores nothing on a wrong or missing signature', async () => {
    const before = await countRows(t, 'SELECT count(*)::int AS n FROM messages');
    const params = new URLSearchParams(fixture('twilio-sms-inbound.form'));
    params.set('MessageSid', 'SMforged000000000000000000000000000');
    const wrong = await post(params.toString(), 'not-the-auth-token-0000000000000');
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_SIGNATURE');
    const missing = await t.http.request('POST', `/webhooks/${channelId}`, { raw: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(missing.status).toBe(401);
    // The recorded signature was made for another URL: it does not verify here.
    const recorded = await t.http.request('POST', `/webhooks/${channelId}`, {
      raw: fixture('twilio-sms-inbound.form'),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'Om//NF2UfKncSLkl5JJxNRblCOs=' },
    });
    expect(recorded.status).toBe(401);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages')).toBe(before);
  });

  it('sends a reply through the Messages API with StatusCallback, options as numbered text, and applies statuses forward only', async () => {
    await inbound('+14155550111', 'Where is my parcel?');
    const caseId = (await t.http.get('/api/v1/cases?q=Where%20is%20my%20parcel', admin.token)).body.items[0].id;
    const res = await reply(caseId, { text: 'Choose one', buttons: [{ title: 'Refund', payload: 'REFUND' }, { title: 'Track', payload: 'TRACK' }] });
    expect(res.status).toBe(201);
    const sent = await settled(t, admin.token, caseId, res.body.id);
    expect(sent).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^SM\d{32}$/) });
    expect(fake.sends).toHaveLength(1);
    expect(fake.sends[0]!.basicAuth).toEqual({ username: ACCOUNT_SID, password: AUTH_TOKEN });
    expect(Object.fromEntries(fake.sends[0]!.form)).toEqual({ From: '+14155550100', To: '+14155550111', Body: 'Choose one\n\n1. Refund\n2. Track', StatusCallback: webhookUrl });

    for (const status of ['queued', 'sent', 'read', 'delivered', 'sent']) expect((await statusCallback(sent.externalId, status)).text).toBe(TWIML);
    expect((await messageOf(t, admin.token, caseId, res.body.id)).status).toBe('read');

    // The customer answers "2": the postback of the second option.
    await inbound('+14155550111', '2');
    const last = (await messagesOf(t, admin.token, caseId)).at(-1);
    expect(last.content.postback).toEqual({ payload: 'TRACK', title: 'Track' });
  });

  it('records SMS segments on the outbound message and enforces the channel maximum', async () => {
    await inbound('+14155550122', 'segments please');
    const caseId = (await t.http.get('/api/v1/cases?q=segments%20please', admin.token)).body.items[0].id;
    const gsm = await reply(caseId, { text: 'a'.repeat(161) });
    expect(gsm.status).toBe(201);
    expect(gsm.body.segments).toBe(2);
    const ucs2 = await reply(caseId, { text: 'ü'.repeat(10) + '😀' });
    expect(ucs2.body.segments).toBe(1);
    expect((await reply(caseId, { text: 'ж'.repeat(71) })).body.segments).toBe(2);

    const capped = await t.http.patch(`/api/v1/channels/${channelId}`, { config: { maxSegments: 2 } }, admin.token);
    expect(capped.status).toBe(200);
    expect(capped.body.config.maxSegments).toBe(2);
    const tooLong = await reply(caseId, { text: 'word '.repeat(100) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ code: 'INVALID_CONTENT', details: [{ field: 'content', message: expect.stringContaining('at most 2') }] });
    expect((await reply(caseId, { text: 'short' })).status).toBe(201);
    await t.http.patch(`/api/v1/channels/${channelId}`, { config: { maxSegments: 20 } }, admin.token);
  });

  it('records a failed delivery with its Twilio error', async () => {
    await inbound('+14155550112', 'hello, anyone?');
    const caseId = (await t.http.get('/api/v1/cases?q=hello%2C%20anyone', admin.token)).body.items[0].id;
    const res = await reply(caseId, { text: 'Hi' });
    const sent = await settled(t, admin.token, caseId, res.body.id);
    await statusCallback(sent.externalId, 'undelivered', { ErrorCode: '30003', ErrorMessage: 'Unreachable destination handset' });
    expect(await messageOf(t, admin.token, caseId, res.body.id)).toMatchObject({ status: 'failed', error: 'Twilio error 30003: Unreachable destination handset' });
  });

  it('fails invalid recipients with the reason, retries 5xx, and marks the channel when the token is revoked', async () => {
    const caseFor = async (from: string) => {
      await inbound(from, `hello from ${from}`);
      return (await t.http.get(`/api/v1/cases?q=${encodeURIComponent(`hello from ${from}`)}`, admin.token)).body.items[0].id as string;
    };
    const invalid = await caseFor('+14155550113');
    fake.respond = () => twilioError(400, 21211, "The 'To' number +14155550113 is not a valid phone number.");
    const m1 = await reply(invalid, { text: 'Hi' });
    expect(await settled(t, admin.token, invalid, m1.body.id)).toMatchObject({ status: 'failed', error: 'Invalid recipient number', externalId: null });
    expect(fake.sends).toHaveLength(1);

    fake.sends.length = 0;
    fake.respond = (n) => (n === 1 ? twilioError(503, 20503, 'Service Unavailable') : undefined);
    const flaky = await caseFor('+14155550114');
    const m2 = await reply(flaky, { text: 'Hi again' });
    expect(await settled(t, admin.token, flaky, m2.body.id)).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^SM\d{32}$/) });
    expect(fake.sends).toHaveLength(2);

    fake.sends.length = 0;
    fake.respond = () => twilioError(401, 20003, 'Authenticate');
    const revoked = await caseFor('+14155550115');
    const m3 = await reply(revoked, { text: 'Hi' });
    expect(await settled(t, admin.token, revoked, m3.body.id)).toMatchObject({ status: 'failed', error: 'Twilio 401 (20003): Authenticate' });
    expect(fake.sends).toHaveLength(1);
    const channel = await t.http.get(`/api/v1/channels/${channelId}`, admin.token);
    expect(channel.body).toMatchObject({ health: 'needs_attention', config: { authToken: '***' } });
    // New credentials give the channel another chance.
    expect((await t.http.patch(`/api/v1/channels/${channelId}`, { config: { authToken: AUTH_TOKEN } }, admin.token)).body.health).toBe('ok');
  });

  it('refuses replies after STOP until START, and fails a send Twilio refuses as opted out', async () => {
    await inbound('+14155550116', 'I need help');
    const caseId = (await t.http.get('/api/v1/cases?q=I%20need%20help', admin.token)).body.items[0].id;
    expect((await inbound('+14155550116', 'STOP')).status).toBe(200);
    const refused = await reply(caseId, { text: 'Are you there?' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('RECIPIENT_OPTED_OUT');
    // Internal notes are not messages to the customer.
    expect((await t.http.post(`/api/v1/cases/${caseId}/messages`, { content: { text: 'opted out' }, internal: true }, admin.token)).status).toBe(201);

    await inbound('+14155550116', 'start');
    const allowed = await reply(caseId, { text: 'Welcome back' });
    expect(allowed.status).toBe(201);
    expect((await settled(t, admin.token, caseId, allowed.body.id)).status).toBe('sent');

    // Opted out at the carrier without us seeing the keyword: Twilio answers 21610.
    fake.respond = () => twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    const blocked = await reply(caseId, { text: 'One more thing' });
    expect(await settled(t, admin.token, caseId, blocked.body.id)).toMatchObject({ status: 'failed', error: 'Recipient opted out (STOP)' });
  });
});
