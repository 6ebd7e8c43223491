import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from 'expect';
import { slackFixture, slackContentType } from '../channels/slack/slack.fixtures';
import { slackSignatureHeaders } from '../channels/slack/slack.signature';
import { SlackApiFake, slackError } from './fakes/slack-api.fake';
import { adminWithSkill, countRows, messageOf, messagesOf, settled, type Admin } from './support/channel-helpers';
import { startApp, type TestApp } from './support/test-app';

// Issue 6, Slack end to end: the recorded Events API and interactivity payloads (re-signed for
// this channel's signing secret) in, chat.postMessage on a local fake Web API out.
const SIGNING_SECRET = 'slack-e2e-signing-secret-6a1f0c';
const BOT_TOKEN = 'xoxb-e2e-bot-token-0001';
const BOT_USER = 'U0BOT1234';

describe('Slack channel', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  const fake = new SlackApiFake();
  let n = 0;

  const post = (raw: string | Buffer, options: { secret?: string; nowMs?: number; headers?: Record<string, string> } = {}) => {
    const body = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    const headers = { 'content-type': slackContentType(body), ...slackSignatureHeaders(options.secret ?? SIGNING_SECRET, body, options.nowMs), ...options.headers };
    return t.http.request('POST', `/webhooks/${channelId}`, { raw: body, headers });
  };
  // An event_callback built on the recorded fixture, with a fresh event_id unless given.
  const event = (overrides: Record<string, unknown>, eventId = `Ev${String(++n).padStart(10, '0')}`) => {
    const envelope = JSON.parse(slackFixture('slack-event-message.json').toString('utf8'));
    envelope.event_id = eventId;
    envelope.event = { ...envelope.event, client_msg_id: undefined, blocks: undefined, ...overrides };
    return JSON.stringify(envelope);
  };
  const ts = () => `1794302${String(200 + ++n)}.000100`;
  const reply = (caseId: string, content: unknown) => t.http.post(`/api/v1/cases/${caseId}/messages`, { content }, admin.token);
  const messageRows = () => countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [channelId]);

  before(async () => {
    await fake.listen();
    t = await startApp({ env: { OUTBOUND_MAX_ATTEMPTS: '3' } });
    admin = await adminWithSkill(t);
    const channel = await t.http.post(
      '/api/v1/channels',
      { type: 'slack', name: 'Slack', defaultSkillId: admin.skillId, config: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiBaseUrl: fake.apiBaseUrl } },
      admin.token,
    );
    expect(channel.status).toBe(201);
    expect(channel.body.config).toMatchObject({ botToken: '***', signingSecret: '***' });
    channelId = channel.body.id;
  });
  after(async () => {
    await t.stop();
    await fake.close();
  });
  beforeEach(() => {
    fake.posts.length = 0;
    fake.respond = () => undefined;
  });

  it('answers url_verification with the challenge and stores nothing', async () => {
    const res = await post(slackFixture('slack-url-verification.json'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    expect(await messageRows()).toBe(0);
  });

  it('turns the signed message event into a case; a Slack retry of the same event_id stores nothing new', async () => {
    const raw = slackFixture('slack-event-message.json');
    const res = await post(raw);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String), caseId: expect.any(String), duplicate: false });
    const kase = await t.http.get(`/api/v1/cases/${res.body.caseId}`, admin.token);
    expect(kase.body).toMatchObject({ channelType: 'slack', status: 'new', contact: { identities: [{ channelType: 'slack', address: 'U0LMN4OPQ' }] } });
    expect(await messagesOf(t, admin.token, res.body.caseId)).toEqual([
      expect.objectContaining({ direction: 'inbound', content: { text: 'Thanks <@U0BOT1234>, I still need help with order *98765*' } }),
    ]);

    // Slack redelivers with X-Slack-Retry-Num when we were slow: same event_id, one message.
    const retry = await post(raw, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ id: res.body.id, caseId: res.body.caseId, duplicate: true });
    expect(await countRows(t, "SELECT count(*)::int AS n FROM messages WHERE provider_message_id = 'Ev0XYZ6ABC78'")).toBe(1);
  });

  it('refuses bad, stale and missing signatures with 401 and stores nothing', async () => {
    const before = await messageRows();
    const raw = event({ text: 'forged' });
    expect((await post(raw, { secret: 'not-the-signing-secret' })).status).toBe(401);
    expect((await post(raw, { nowMs: Date.now() - 6 * 60_000 })).status).toBe(401);
    const unsigned = await t.http.request('POST', `/webhooks/${channelId}`, { raw, headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toMatchObject({ statusCode: 401, code: expect.any(String) });
    // A signed body altered afterwards.
    const headers = { 'content-type': 'application/json', ...slackSignatureHeaders(SIGNING_SECRET, raw) };
    expect((await t.http.request('POST', `/webhooks/${channelId}`, { raw: raw.replace('forged', 'Forged'), headers })).status).toBe(401);
    expect(await messageRows()).toBe(before);
  });

  it('ignores the bot’s own messages, other bots and edits', async () => {
    const before = await messageRows();
    for (const overrides of [
      { user: BOT_USER, text: 'our own reply' },
      { bot_id: 'B0BOT5678', user: BOT_USER, text: 'posted by the app' },
      { subtype: 'bot_message', bot_id: 'B0OTHER', user: undefined, text: 'another integration' },
      { subtype: 'message_changed', text: 'edited' },
    ]) {
      const res = await post(event(overrides));
      expect(res.status).toBe(200);
    }
    expect(await messageRows()).toBe(before);
  });

  it('keeps a thread in one case, opens another for another thread, and replies into the thread', async () => {
    const root = ts();
    const first = await post(event({ text: 'My parcel is late', ts: root, thread_ts: undefined, user: 'U0THREAD1' }));
    const second = await post(event({ text: 'Any news?', ts: ts(), thread_ts: root, user: 'U0THREAD1' }));
    const elsewhere = await post(event({ text: 'Different topic', ts: ts(), thread_ts: undefined, user: 'U0THREAD1' }));
    expect(second.body.caseId).toBe(first.body.caseId);
    expect(elsewhere.body.caseId).not.toBe(first.body.caseId);
    expect(await messagesOf(t, admin.token, first.body.caseId)).toHaveLength(2);

    const out = await reply(first.body.caseId, { text: 'It ships **today**', format: 'markdown' });
    expect(out.status).toBe(201);
    const sent = await settled(t, admin.token, first.body.caseId, out.body.id);
    expect(sent).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^C0RST5UVW:1794303000\.\d{6}$/) });
    expect(fake.posts).toHaveLength(1);
    expect(fake.posts[0]).toEqual({
      bearer: BOT_TOKEN,
      args: expect.objectContaining({
        channel: 'C0RST5UVW',
        thread_ts: root,
        text: 'It ships *today*',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'It ships *today*' } }],
      }),
    });
  });

  it('answers a direct message at the DM’s top level', async () => {
    const dm = await post(event({ channel: 'D0DM00001', channel_type: 'im', thread_ts: undefined, ts: ts(), user: 'U0DMUSER1', text: 'Hello in private' }));
    const again = await post(event({ channel: 'D0DM00001', channel_type: 'im', thread_ts: undefined, ts: ts(), user: 'U0DMUSER1', text: 'Still there?' }));
    expect(again.body.caseId).toBe(dm.body.caseId);
    const out = await reply(dm.body.caseId, { text: 'Yes!' });
    await settled(t, admin.token, dm.body.caseId, out.body.id);
    expect(fake.posts[0]!.args.channel).toBe('D0DM00001');
    expect(fake.posts[0]!.args.thread_ts).toBeUndefined();
  });

  it('sends buttons and a list picker as Block Kit, and a button click comes back as a postback', async () => {
    const root = '1794301999.000200';
    const start = await post(event({ text: 'Where is my parcel?', user: 'U0LMN4OPQ', thread_ts: root, ts: ts() }));
    const caseId = start.body.caseId;
    const out = await reply(caseId, {
      text: 'Your parcel was returned to us. Shall we resend it?',
      buttons: [{ title: 'Yes, resend it', payload: 'conv_8f2a41c7' }, { title: 'Track', url: 'https://track.example.com/98765' }],
      listPicker: { title: 'Shipping', items: [{ title: 'Standard', payload: 'ship_standard' }, { title: 'Express', subtitle: '1-2 days', payload: 'ship_express' }] },
    });
    await settled(t, admin.token, caseId, out.body.id);
    const { args } = fake.posts[0]!;
    expect(args).toMatchObject({ channel: 'C0RST5UVW', thread_ts: root });
    expect(args.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Your parcel was returned to us. Shall we resend it?' } },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'parley_button_1', text: { type: 'plain_text', text: 'Yes, resend it', emoji: true }, value: 'conv_8f2a41c7' },
          { type: 'button', action_id: 'parley_button_2', text: { type: 'plain_text', text: 'Track', emoji: true }, value: 'https://track.example.com/98765', url: 'https://track.example.com/98765' },
        ],
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*Shipping*' },
        accessory: {
          type: 'static_select',
          action_id: 'parley_select_3',
          placeholder: { type: 'plain_text', text: 'Shipping', emoji: true },
          options: [
            { text: { type: 'plain_text', text: 'Standard', emoji: true }, value: 'ship_standard' },
            { text: { type: 'plain_text', text: 'Express', emoji: true }, value: 'ship_express', description: { type: 'plain_text', text: '1-2 days', emoji: true } },
          ],
        },
      },
    ]);

    // The recorded click on "Yes, resend it", form-encoded as Slack sends interactivity.
    const click = await post(slackFixture('slack-block-actions.form'));
    expect(click.status).toBe(200);
    expect(click.body).toMatchObject({ caseId, duplicate: false });
    expect(await messageOf(t, admin.token, caseId, click.body.id)).toMatchObject({
      direction: 'inbound',
      content: { postback: { payload: 'conv_8f2a41c7', title: 'Yes, resend it' } },
    });
    // Slack retries interactivity too: the same click is stored once.
    expect((await post(slackFixture('slack-block-actions.form'))).body).toMatchObject({ id: click.body.id, duplicate: true });
  });

  it('classifies Web API errors: invalid recipient fails, rate limits and 5xx retry, a revoked token marks the channel', async () => {
    const caseFor = async (user: string) => (await post(event({ user, ts: ts(), thread_ts: undefined, text: `hi from ${user}` }))).body.caseId as string;

    const gone = await caseFor('U0GONE001');
    fake.respond = () => slackError('channel_not_found');
    const m1 = await reply(gone, { text: 'Hi' });
    expect(await settled(t, admin.token, gone, m1.body.id)).toMatchObject({ status: 'failed', error: 'Slack chat.postMessage failed: channel_not_found', externalId: null });
    expect(fake.posts).toHaveLength(1);

    fake.posts.length = 0;
    fake.respond = (k) => (k === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } } : k === 2 ? { status: 503, body: 'upstream' } : undefined);
    const busy = await caseFor('U0BUSY001');
    const m2 = await reply(busy, { text: 'Hi again' });
    expect(await settled(t, admin.token, busy, m2.body.id, 20_000)).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^C0RST5UVW:/) });
    expect(fake.posts).toHaveLength(3);

    fake.posts.length = 0;
    fake.respond = () => slackError('token_revoked');
    const revoked = await caseFor('U0REVOKE1');
    const m3 = await reply(revoked, { text: 'Hi' });
    expect(await settled(t, admin.token, revoked, m3.body.id)).toMatchObject({ status: 'failed', error: 'Slack chat.postMessage failed: token_revoked' });
    expect(fake.posts).toHaveLength(1);
    const channel = await t.http.get(`/api/v1/channels/${channelId}`, admin.token);
    expect(channel.body).toMatchObject({ health: 'needs_attention', config: { botToken: '***' } });
  });
});
