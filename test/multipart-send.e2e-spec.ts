import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from 'expect';
import twilio from 'twilio';
import { TwilioApiFake, twilioError, type TwilioSend } from './fakes/twilio-api.fake';
import { adminWithSkill, countRows, messageOf, queryRows, settled, type Admin } from './support/channel-helpers';
import { startApp, type TestApp } from './support/test-app';

// Multi-part sends end to end: a long SMS goes as several Twilio messages; a failure partway is
// retried from the part that failed (never repeating the delivered ones), and receipts for any
// part move the message as its parts do.
const AUTH_TOKEN = 'f3a1c9e2b7d44e0a9c6b5d8e7f1a2b3c';
const ACCOUNT_SID = 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'channels', 'sms', 'fixtures', name), 'utf8');
// 3,889 characters: three parts of at most 1,600.
const LONG_TEXT = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');

describe('Multi-part sends (Twilio SMS)', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  let webhookUrl: string;
  const fake = new TwilioApiFake();
  let sid = 0;

  const post = (raw: string) => {
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, webhookUrl, Object.fromEntries(new URLSearchParams(raw)));
    return t.http.request('POST', `/webhooks/${channelId}`, { raw, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } });
  };
  const caseFor = async (from: string): Promise<string> => {
    const params = new URLSearchParams(fixture('twilio-sms-inbound.form'));
    const messageSid = `SM${String(++sid).padStart(32, 'b')}`;
    for (const key of ['MessageSid', 'SmsSid', 'SmsMessageSid']) params.set(key, messageSid);
    params.set('From', from);
    params.set('Body', `hello from ${from}`);
    expect((await post(params.toString())).status).toBe(200);
    return (await t.http.get(`/api/v1/cases?q=${encodeURIComponent(`hello from ${from}`)}`, admin.token)).body.items[0].id;
  };
  const statusCallback = async (messageSid: string, status: string, extra: Record<string, string> = {}) => {
    const params = new URLSearchParams(fixture('twilio-status-callback.form'));
    for (const key of ['MessageSid', 'SmsSid']) params.set(key, messageSid);
    params.set('MessageStatus', status);
    params.set('SmsStatus', status);
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    expect((await post(params.toString())).status).toBe(200);
  };
  const reply = async (caseId: string, text: string): Promise<string> => {
    const res = await t.http.post(`/api/v1/cases/${caseId}/messages`, { content: { text } }, admin.token);
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const accepted = (): TwilioSend[] => fake.sends.filter((send) => send.sid);

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

  it('delivers a long SMS whose second part failed with a 503 with each part exactly once after the retry', async () => {
    const caseId = await caseFor('+14155550131');
    fake.respond = (n) => (n === 2 ? twilioError(503, 20503, 'Service Unavailable') : undefined);
    const id = await reply(caseId, LONG_TEXT);
    const sent = await settled(t, admin.token, caseId, id);

    // Part 1, part 2 refused, part 2 again, part 3: every part accepted exactly once.
    expect(fake.sends).toHaveLength(4);
    expect(fake.sends[1]!.sid).toBeUndefined();
    const bodies = accepted().map((send) => send.form.get('Body'));
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(3);
    expect(bodies.join(' ')).toBe(LONG_TEXT);
    // The message reports on the first part; every part is kept for its receipts.
    expect(sent).toMatchObject({ status: 'sent', externalId: accepted()[0]!.sid, error: null });
    const parts = await queryRows(t, 'SELECT part_index, external_id, status FROM message_parts WHERE message_id = $1 ORDER BY part_index', [id]);
    expect(parts).toEqual(accepted().map((send, index) => ({ part_index: index, external_id: send.sid, status: 'sent' })));
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM outbound_jobs WHERE message_id = $1', [id])).toBe(0);
  });

  it('is delivered once every part is, whichever part reports first', async () => {
    const caseId = await caseFor('+14155550132');
    const id = await reply(caseId, LONG_TEXT);
    await settled(t, admin.token, caseId, id);
    const [first, second, third] = accepted().map((send) => send.sid!);

    await statusCallback(third!, 'delivered');
    await statusCallback(first!, 'delivered');
    expect((await messageOf(t, admin.token, caseId, id)).status).toBe('sent');
    await statusCallback(second!, 'delivered');
    expect((await messageOf(t, admin.token, caseId, id)).status).toBe('delivered');
    await statusCallback(second!, 'read');
    expect((await messageOf(t, admin.token, caseId, id)).status).toBe('delivered');
  });

  it('fails the message when a later part is undelivered, naming the part, even after the first was delivered', async () => {
    const caseId = await caseFor('+14155550133');
    const id = await reply(caseId, LONG_TEXT);
    await settled(t, admin.token, caseId, id);
    const [first, second, third] = accepted().map((send) => send.sid!);

    await statusCallback(first!, 'delivered');
    await statusCallback(second!, 'undelivered', { ErrorCode: '30003', ErrorMessage: 'Unreachable destination handset' });
    await statusCallback(third!, 'delivered');
    expect(await messageOf(t, admin.token, caseId, id)).toMatchObject({ status: 'failed', error: 'Part 2 of 3: Twilio error 30003: Unreachable destination handset' });
  });

  it('fails the message when a later part is refused for good, and receipts for the delivered part do not revive it', async () => {
    const caseId = await caseFor('+14155550134');
    fake.respond = (n) => (n === 2 ? twilioError(400, 21602, 'Message body is required.') : undefined);
    const id = await reply(caseId, LONG_TEXT);
    const failed = await settled(t, admin.token, caseId, id);
    expect(failed).toMatchObject({ status: 'failed', error: 'Part 2 of 3: Twilio 400 (21602): Message body is required.', externalId: null });
    expect(fake.sends).toHaveLength(2);

    await statusCallback(accepted()[0]!.sid!, 'delivered');
    expect(await messageOf(t, admin.token, caseId, id)).toMatchObject({ status: 'failed', error: 'Part 2 of 3: Twilio 400 (21602): Message body is required.' });
  });
});
