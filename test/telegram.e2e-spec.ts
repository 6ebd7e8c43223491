import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from 'expect';
import { callbackData } from '../channels/telegram/telegram-callback-data';
import { recordedTelegramHeaders, TELEGRAM_TEST_SECRET, telegramFixture } from '../channels/telegram/telegram.fixtures';
import { waitFor } from './support/byoc-integrator';
import { apiError, TelegramApiFake } from './fakes/telegram-api.fake';
import { adminWithSkill, countRows, messageOf, messagesOf, settled, type Admin } from './support/channel-helpers';
import { startApp, type TestApp } from './support/test-app';

// Issue 5, Telegram end to end: the recorded Updates (with the recorded secret header) in, the
// Bot API on a local fake out, through node-telegram-bot-api at the channel's apiBaseUrl.
const BOT_TOKEN = '7012345678:AAtg-e2e-bot-token-0001';
const NEW_BOT_TOKEN = '7012345678:AAtg-e2e-bot-token-0002';
const CHAT = 5123456789;
const PHOTO_FILE_ID = 'AgACAgIAAxkBAAIQeWZfakePhotoLarge0000AAQ';
const PHOTO_BYTES = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

describe('Telegram channel', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  let webhookUrl: string;
  const fake = new TelegramApiFake();
  let updateId = 913_000_000;

  const post = (raw: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_TEST_SECRET }) =>
    t.http.request('POST', `/webhooks/${channelId}`, { raw, headers });
  const recorded = (name: string) => post(telegramFixture(name), recordedTelegramHeaders(name));
  const json = (name: string): any => JSON.parse(telegramFixture(name).toString('utf8'));
  // A text from `chat`, built on the recorded message with a fresh update_id.
  const text = async (chat: number, body: string) => {
    const update = json('telegram-message.json');
    update.update_id = ++updateId;
    Object.assign(update.message, { message_id: updateId, date: Math.floor(Date.now() / 1000), text: body, entities: undefined });
    update.message.chat.id = chat;
    update.message.from.id = chat;
    const res = await post(JSON.stringify(update));
    expect(res.status).toBe(200);
    return res.body.caseId as string;
  };
  // A press on a button of the message the fake recorded as sent.
  const press = (sent: { params: Record<string, any> }, buttonText: string) => {
    const update = json('telegram-callback-query.json');
    const button = sent.params.reply_markup.inline_keyboard.flat().find((b: { text: string }) => b.text === buttonText);
    update.update_id = ++updateId;
    update.callback_query.id = `cb${updateId}`;
    update.callback_query.message.chat.id = Number(sent.params.chat_id);
    update.callback_query.message.reply_markup = sent.params.reply_markup;
    update.callback_query.data = button.callback_data;
    return post(JSON.stringify(update));
  };
  const reply = (caseId: string, content: unknown) => t.http.post(`/api/v1/cases/${caseId}/messages`, { content }, admin.token);
  const sent = async (caseId: string, content: unknown, timeoutMs?: number) => {
    const res = await reply(caseId, content);
    expect(res.status).toBe(201);
    return settled(t, admin.token, caseId, res.body.id, timeoutMs);
  };
  const channel = async () => (await t.http.get(`/api/v1/channels/${channelId}`, admin.token)).body;

  before(async () => {
    fake.tokens.add(BOT_TOKEN);
    fake.tokens.add(NEW_BOT_TOKEN);
    fake.files.set(PHOTO_FILE_ID, { path: 'photos/file_12.jpg', data: PHOTO_BYTES });
    await fake.listen();
    t = await startApp({ env: { OUTBOUND_MAX_ATTEMPTS: '3' } });
    admin = await adminWithSkill(t);
    const created = await t.http.post(
      '/api/v1/channels',
      { type: 'telegram', name: 'Telegram', defaultSkillId: admin.skillId, config: { botToken: BOT_TOKEN, secretToken: TELEGRAM_TEST_SECRET, apiBaseUrl: fake.baseUrl } },
      admin.token,
    );
    expect(created.status).toBe(201);
    expect(created.body.config).toMatchObject({ botToken: '***', secretToken: '***' });
    channelId = created.body.id;
    webhookUrl = created.body.webhookUrl;
  });
  after(async () => {
    await t.stop();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('registered its webhook URL and secret with setWebhook when it was created', async () => {
    // before() ran it; reset() cleared the calls since, so read it from the raw requests.
    const setWebhook = fake.requests.filter((request) => request.path === `/bot${BOT_TOKEN}/setWebhook`);
    expect(setWebhook).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(setWebhook[0]!.raw))).toEqual({
      url: webhookUrl,
      secret_token: TELEGRAM_TEST_SECRET,
      allowed_updates: '["message","callback_query"]',
    });
    expect(await channel()).toMatchObject({ health: 'ok', healthReason: null });
  });

  it('turns the recorded updates into one case, copies the photo into Parley, and stores a redelivered update once', async () => {
    const first = await recorded('telegram-message.json');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ id: expect.any(String), caseId: expect.any(String), duplicate: false });
    const photo = await recorded('telegram-photo-message.json');
    expect(photo.body).toMatchObject({ caseId: first.body.caseId, duplicate: false });
    // Telegram retries an update it saw no 2xx for: same update_id, stored once.
    const again = await recorded('telegram-photo-message.json');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: photo.body.id, caseId: photo.body.caseId, duplicate: true });
    expect(await countRows(t, "SELECT count(*)::int AS n FROM messages WHERE channel_id = $1 AND provider_message_id = '912345680'", [channelId])).toBe(1);

    const kase = (await t.http.get(`/api/v1/cases/${first.body.caseId}`, admin.token)).body;
    expect(kase).toMatchObject({ channelType: 'telegram', contact: { name: 'Jana Müller', identities: [{ channelType: 'telegram', address: String(CHAT) }] } });
    const contents = (await messagesOf(t, admin.token, first.body.caseId)).map((m) => m.content);
    expect(contents).toEqual([
      { text: '/start order_98765' },
      { text: 'Damaged box 😞', attachments: [{ url: expect.stringMatching(/^http:\/\/localhost:\d+\/media\/[0-9a-f-]{36}\/[\w-]+$/), contentType: 'image/jpeg' }] },
    ]);
    // The largest size was resolved with getFile and downloaded with the bot token, never stored.
    expect(fake.callsTo('getFile').map((call) => call.params)).toEqual([{ file_id: PHOTO_FILE_ID }, { file_id: PHOTO_FILE_ID }]);
    expect(fake.downloads).toEqual(['photos/file_12.jpg', 'photos/file_12.jpg']);
    expect(JSON.stringify(contents)).not.toContain(BOT_TOKEN);
    const stored = await fetch(`${t.url}${new URL(contents[1].attachments[0].url).pathname}`);
    expect(stored.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await stored.arrayBuffer())).toEqual(PHOTO_BYTES);
  });

  it('refuses a wrong or missing secret token with 401 and stores nothing', async () => {
    const before = await countRows(t, 'SELECT count(*)::int AS n FROM messages');
    const update = json('telegram-message.json');
    update.update_id = ++updateId;
    update.message.text = 'forged';
    const raw = JSON.stringify(update);
    const wrong = await post(raw, { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg_webhook_secret_guess' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ statusCode: 401, code: expect.any(String) });
    expect((await post(raw, { 'content-type': 'application/json' })).status).toBe(401);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages')).toBe(before);
  });

  it('acknowledges edited messages and other updates with 200 and stores nothing', async () => {
    const before = await countRows(t, 'SELECT count(*)::int AS n FROM messages');
    const edited = json('telegram-message.json');
    const updates = [
      { update_id: ++updateId, edited_message: { ...edited.message, text: 'edited', edit_date: edited.message.date + 60 } },
      { update_id: ++updateId, message_reaction: { chat: edited.message.chat, message_id: 4217, date: edited.message.date, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] } },
      { update_id: ++updateId, my_chat_member: { chat: edited.message.chat, from: edited.message.from, date: edited.message.date } },
    ];
    for (const update of updates) {
      const res = await post(JSON.stringify(update));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true, results: [] });
    }
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages')).toBe(before);
  });

  it('replies with MarkdownV2 and an inline keyboard as Telegram documents them; a press is a postback, answered', async () => {
    const caseId = await text(CHAT, 'Where is my parcel?');
    const message = await sent(caseId, {
      text: '**Order 98765** was returned to us. Shall we resend it?',
      format: 'markdown',
      buttons: [
        { title: 'Yes, resend it', payload: 'resend:yes:conv_8f2a41c7' },
        { title: 'Refund instead', payload: 'resend:refund:conv_8f2a41c7' },
        { title: 'Track parcel', url: 'https://track.example.com/98765' },
      ],
    });
    expect(message).toMatchObject({ status: 'sent', externalId: expect.stringMatching(new RegExp(`^${CHAT}:\\d+$`)) });
    const [call] = fake.calls;
    expect(call).toMatchObject({ token: BOT_TOKEN, method: 'sendMessage', contentType: 'application/x-www-form-urlencoded' });
    // The recorded request, except the quote of the customer's message (Parley does not quote);
    // form fields are strings on the wire.
    const { reply_parameters: _quote, ...documented } = json('telegram-sendMessage-request.json');
    expect(call!.params).toEqual({ ...documented, chat_id: String(CHAT) });

    // The recorded press on "Yes, resend it".
    const click = await recorded('telegram-callback-query.json');
    expect(click.status).toBe(200);
    expect(click.body).toMatchObject({ caseId, duplicate: false });
    expect(await messageOf(t, admin.token, caseId, click.body.id)).toMatchObject({
      direction: 'inbound',
      content: { postback: { payload: 'resend:yes:conv_8f2a41c7', title: 'Yes, resend it' } },
    });
    // Answered off the request path, so that the customer's spinner stops.
    await waitFor(() => fake.callsTo('answerCallbackQuery').length > 0, 10_000, 'answerCallbackQuery');
    expect(fake.callsTo('answerCallbackQuery').map((c) => c.params)).toEqual([{ callback_query_id: '2200223311445566778' }]);
    // A redelivered press is stored once, and answered again (a spinner may still be turning).
    expect((await recorded('telegram-callback-query.json')).body).toMatchObject({ id: click.body.id, duplicate: true });
    await waitFor(() => fake.callsTo('answerCallbackQuery').length === 2, 10_000, 'second answerCallbackQuery');
  });

  it('falls back where Telegram has no native form: plain text, cards as text, files by URL, long payloads by reference', async () => {
    const caseId = await text(CHAT + 1, 'Hello');

    await sent(caseId, { text: 'Plain (1.5) text!' });
    expect(fake.calls.map((c) => c.params)).toEqual([{ chat_id: String(CHAT + 1), text: 'Plain (1.5) text!' }]);

    fake.reset();
    await sent(caseId, {
      cards: [{ title: 'Boots #42', subtitle: 'Size 42', buttons: [{ title: 'Buy', url: 'https://shop.example.com/b' }] }],
      attachments: [
        { url: 'https://files.example.com/box.png', contentType: 'image/png' },
        { url: 'https://files.example.com/i.pdf', contentType: 'application/pdf', name: 'invoice.pdf' },
      ],
    });
    expect(fake.calls.map((c) => [c.method, c.params])).toEqual([
      ['sendMessage', { chat_id: String(CHAT + 1), text: '*Boots \\#42*\nSize 42\n1\\. Buy: https://shop\\.example\\.com/b', parse_mode: 'MarkdownV2' }],
      ['sendPhoto', { chat_id: String(CHAT + 1), photo: 'https://files.example.com/box.png' }],
      ['sendDocument', { chat_id: String(CHAT + 1), document: 'https://files.example.com/i.pdf' }],
    ]);

    // A payload longer than callback_data's 64 bytes travels as a reference and comes back whole.
    fake.reset();
    const long = `keep-order:98765:${'x'.repeat(100)}`;
    await sent(caseId, { text: 'What should we do?', buttons: [{ title: 'Keep my order', payload: long }, { title: 'Cancel', payload: 'cancel' }] });
    const keyboard = fake.calls[0]!.params.reply_markup.inline_keyboard;
    expect(keyboard).toEqual([[{ text: 'Keep my order', callback_data: callbackData(long) }, { text: 'Cancel', callback_data: 'cancel' }]]);
    const click = await press(fake.calls[0]!, 'Keep my order');
    expect(await messageOf(t, admin.token, caseId, click.body.id)).toMatchObject({ content: { postback: { payload: long, title: 'Keep my order' } } });
    await waitFor(() => fake.callsTo('answerCallbackQuery').length === 1, 10_000, 'answerCallbackQuery');
  });

  it('classifies Bot API errors: 400/403 fail with the reason, 429 waits retry_after, 5xx and timeouts retry, 401 marks the channel', async () => {
    const failures: Array<[string, ReturnType<typeof apiError>, string]> = [
      ['chat not found', apiError(400, 'Bad Request: chat not found'), 'Telegram sendMessage 400: Bad Request: chat not found'],
      ['blocked', apiError(403, 'Forbidden: bot was blocked by the user'), 'Telegram sendMessage 403: Forbidden: bot was blocked by the user'],
    ];
    for (const [index, [_label, answer, reason]] of failures.entries()) {
      fake.reset();
      fake.respond = () => answer;
      const caseId = await text(CHAT + 10 + index, 'hi');
      expect(await sent(caseId, { text: 'Hi' })).toMatchObject({ status: 'failed', error: reason, externalId: null });
      expect(fake.callsTo('sendMessage')).toHaveLength(1);
    }

    // 429: the retry waits at least retry_after (2 s), far beyond the queue's 100 ms backoff.
    fake.reset();
    const at: number[] = [];
    fake.respond = (call) => {
      if (call.method !== 'sendMessage') return undefined;
      at.push(Date.now());
      return at.length === 1 ? apiError(429, 'Too Many Requests: retry after 2', { retry_after: 2 }) : undefined;
    };
    const busy = await text(CHAT + 20, 'hi');
    expect(await sent(busy, { text: 'Hi' }, 20_000)).toMatchObject({ status: 'sent' });
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1900);

    // A 500 and then no answer at all (the client times out) are retried until it goes through.
    fake.reset();
    fake.respond = (call) => {
      const n = fake.callsTo('sendMessage').length;
      if (call.method !== 'sendMessage') return undefined;
      return n === 1 ? apiError(500, 'Internal Server Error') : n === 2 ? { status: 200, hang: true } : undefined;
    };
    const flaky = await text(CHAT + 21, 'hi');
    expect(await sent(flaky, { text: 'Hi' }, 40_000)).toMatchObject({ status: 'sent', externalId: expect.stringMatching(new RegExp(`^${CHAT + 21}:`)) });
    expect(fake.callsTo('sendMessage')).toHaveLength(3);

    // 401: the token no longer works; the admin sees it on the channel.
    fake.reset();
    fake.respond = () => apiError(401, 'Unauthorized');
    const revoked = await text(CHAT + 22, 'hi');
    expect(await sent(revoked, { text: 'Hi' })).toMatchObject({ status: 'failed', error: 'Telegram sendMessage 401: Unauthorized' });
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
    expect(await channel()).toMatchObject({ health: 'needs_attention', healthReason: 'Telegram sendMessage 401: Unauthorized', config: { botToken: '***' } });
  });

  it('calls setWebhook again when the token changes; a refused one marks the channel, a working one clears it', async () => {
    const patched = await t.http.patch(`/api/v1/channels/${channelId}`, { config: { botToken: NEW_BOT_TOKEN } }, admin.token);
    expect(patched.status).toBe(200);
    expect(fake.calls).toEqual([
      expect.objectContaining({ token: NEW_BOT_TOKEN, method: 'setWebhook', params: { url: webhookUrl, secret_token: TELEGRAM_TEST_SECRET, allowed_updates: ['message', 'callback_query'] } }),
    ]);
    expect(patched.body).toMatchObject({ health: 'ok', healthReason: null, config: { botToken: '***', secretToken: '***' } });

    fake.reset();
    const unknown = await t.http.patch(`/api/v1/channels/${channelId}`, { config: { botToken: '7012345678:AAtg-revoked-token' } }, admin.token);
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ health: 'needs_attention', healthReason: 'Telegram setWebhook 401: Unauthorized' });

    // A new secret is registered too, and webhooks then need it.
    fake.reset();
    const secret = 'tg_webhook_secret_rotated_01';
    const rotated = await t.http.patch(`/api/v1/channels/${channelId}`, { config: { botToken: BOT_TOKEN, secretToken: secret } }, admin.token);
    expect(rotated.body).toMatchObject({ health: 'ok', healthReason: null });
    expect(fake.calls.map((c) => [c.token, c.params.secret_token])).toEqual([[BOT_TOKEN, secret]]);
    const update = json('telegram-message.json');
    update.update_id = ++updateId;
    expect((await post(JSON.stringify(update))).status).toBe(401);
    expect((await post(JSON.stringify(update), { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret })).status).toBe(200);
  });
});
