import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { NetworkError, ParseError, TelegramApiError, TimeoutError } from 'node-telegram-bot-api';
import { apiError, TelegramApiFake } from '../../test/fakes/telegram-api.fake';
import { CHANNEL_CAPABILITIES, renderContent, type Content } from '../../src/content';
import { PayloadError, ProviderError, SignatureError, type ChannelContext, type InboundEvent, type MediaInput, type MediaSink, type OutboundMessage } from '../channel-adapter.port';
import { callbackData, CALLBACK_DATA_MAX_BYTES, isCallbackReference } from './telegram-callback-data';
import { toTelegramCalls } from './telegram-outbound.mapper';
import { TelegramAdapter } from './telegram.adapter';
import type { TelegramConfig } from './telegram.config';
import { classifyTelegramError } from './telegram.errors';
import { recordedTelegramHeaders, TELEGRAM_TEST_BOT_TOKEN, TELEGRAM_TEST_SECRET, telegramFixture, telegramRequest } from './telegram.fixtures';
import { telegramFileReference } from './telegram.mapper';

const NOW = new Date('2026-11-20T10:05:00Z');
const adapter = new TelegramAdapter({ now: () => NOW, timeoutMs: 300 });
const channelId = '5e1d2c3b-4a59-4876-9a1b-2c3d4e5f6a7b';
const context = (config: Partial<TelegramConfig> = {}, media?: MediaSink): ChannelContext<TelegramConfig> => ({
  channelId,
  webhookUrl: `https://inbox.example.com/webhooks/${channelId}`,
  config: { botToken: TELEGRAM_TEST_BOT_TOKEN, secretToken: TELEGRAM_TEST_SECRET, ...config },
  ...(media && { media }),
});
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const fixtureJson = (name: string): any => JSON.parse(telegramFixture(name).toString('utf8'));
const parse = (update: unknown, config: Partial<TelegramConfig> = {}): InboundEvent[] => adapter.parse(telegramRequest(json(update), TELEGRAM_TEST_SECRET), context(config)).events;
const only = (update: unknown): InboundEvent => {
  const events = parse(update);
  expect(events).toHaveLength(1);
  return events[0]!;
};
// A message update built on the recorded text message.
const message = (fields: Record<string, unknown>, updateId = 1) => {
  const update = fixtureJson('telegram-message.json');
  const { text: _text, entities: _entities, ...rest } = update.message;
  return { update_id: updateId, message: { ...rest, ...fields } };
};

describe('Telegram secret token', () => {
  it.each(['telegram-message.json', 'telegram-photo-message.json', 'telegram-callback-query.json'])('accepts the recorded header of %s', (name) => {
    const request = { method: 'POST', headers: recordedTelegramHeaders(name), query: {}, rawBody: telegramFixture(name) };
    expect(() => adapter.verify(request, context())).not.toThrow();
  });

  it.each([
    ['another secret', { 'x-telegram-bot-api-secret-token': 'tg_webhook_secret_9f2c42' }, /does not match/],
    ['a prefix of the secret', { 'x-telegram-bot-api-secret-token': 'tg_webhook' }, /does not match/],
    ['an empty header', { 'x-telegram-bot-api-secret-token': '' }, /does not match/],
    ['no header', {}, /Missing X-Telegram-Bot-Api-Secret-Token/],
    ['the header sent twice', { 'x-telegram-bot-api-secret-token': [TELEGRAM_TEST_SECRET, TELEGRAM_TEST_SECRET] }, /Missing/],
  ])('rejects %s', (_label, headers, message) => {
    const request = { method: 'POST', headers, query: {}, rawBody: telegramFixture('telegram-message.json') };
    expect(() => adapter.verify(request, context())).toThrow(SignatureError);
    expect(() => adapter.verify(request, context())).toThrow(message);
  });
});

describe('Telegram inbound mapping', () => {
  it('maps a text message: the chat id is the address, the update_id the dedupe key', () => {
    expect(only(fixtureJson('telegram-message.json'))).toEqual({
      kind: 'message',
      providerMessageId: '912345678',
      from: { address: '5123456789', name: 'Jana Müller' },
      timestamp: new Date(1794302120 * 1000),
      content: { text: '/start order_98765' },
    });
  });

  it('keeps the largest photo size, whatever the order, as a token-free reference, with the caption', () => {
    const update = fixtureJson('telegram-photo-message.json');
    update.message.photo.reverse();
    expect(only(update)).toMatchObject({
      providerMessageId: '912345680',
      content: { text: 'Damaged box 😞', attachments: [{ url: 'https://api.telegram.org/getFile?file_id=AgACAgIAAxkBAAIQeWZfakePhotoLarge0000AAQ', contentType: 'image/jpeg' }] },
    });
    const viaProxy = parse(update, { apiBaseUrl: 'http://127.0.0.1:8081/' })[0]!;
    expect(viaProxy.kind === 'message' && viaProxy.content.attachments?.[0]?.url).toBe('http://127.0.0.1:8081/getFile?file_id=AgACAgIAAxkBAAIQeWZfakePhotoLarge0000AAQ');
  });

  it('maps a document with its name and type, and a voice note with Telegram’s default type', () => {
    expect(only(message({ document: { file_id: 'BQACdoc1', file_unique_id: 'u1', file_name: 'invoice 98765.pdf', mime_type: 'application/pdf' }, caption: 'The invoice' }))).toMatchObject({
      content: { text: 'The invoice', attachments: [{ url: telegramFileReference(undefined, 'BQACdoc1'), contentType: 'application/pdf', name: 'invoice 98765.pdf' }] },
    });
    expect(only(message({ voice: { file_id: 'AwACvoice', file_unique_id: 'u2', duration: 3 } }))).toMatchObject({
      content: { attachments: [{ contentType: 'audio/ogg' }] },
    });
    // An animation also comes as `document`: one attachment.
    const gif = only(message({ animation: { file_id: 'CgACanim', file_unique_id: 'u3', mime_type: 'video/mp4' }, document: { file_id: 'CgACanim', file_unique_id: 'u3', mime_type: 'video/mp4' } }));
    expect(gif.kind === 'message' && gif.content.attachments).toHaveLength(1);
  });

  it('writes locations, contacts and stickers as text, and notes what it cannot show', () => {
    expect(only(message({ location: { latitude: 52.52, longitude: 13.405 } }))).toMatchObject({ content: { text: 'Location: 52.52, 13.405' } });
    expect(only(message({ location: { latitude: 52.52, longitude: 13.405 }, venue: { title: 'Acme HQ', address: 'Alexanderplatz 1', location: { latitude: 52.52, longitude: 13.405 } } }))).toMatchObject({
      content: { text: 'Location: 52.52, 13.405 (Acme HQ, Alexanderplatz 1)' },
    });
    expect(only(message({ contact: { phone_number: '+4915112345678', first_name: 'Jana', last_name: 'Müller' } }))).toMatchObject({ content: { text: 'Contact: Jana Müller, +4915112345678' } });
    expect(only(message({ sticker: { file_id: 'CAAC', emoji: '😞' } }))).toMatchObject({ content: { text: '😞' } });
    expect(only(message({ poll: { id: '1', question: 'Best?' } }))).toMatchObject({ content: { text: '[Unsupported Telegram message: poll]' } });
  });

  it('addresses a group by its chat id and names it after the group', () => {
    expect(only(message({ chat: { id: -1001234567890, type: 'supergroup', title: 'Acme buyers' }, text: 'hi all' }))).toMatchObject({
      from: { address: '-1001234567890', name: 'Acme buyers' },
    });
  });

  it.each([
    ['an edited message', { update_id: 2, edited_message: { ...fixtureJson('telegram-message.json').message, edit_date: 1794302200 } }],
    ['a channel post', { update_id: 3, channel_post: { message_id: 1, chat: { id: -100, type: 'channel' }, date: 1, text: 'news' } }],
    ['a member change', { update_id: 4, my_chat_member: { chat: { id: 1, type: 'private' } } }],
    ['a service message (member joined)', message({ new_chat_members: [{ id: 1, is_bot: false, first_name: 'A' }] })],
    ['another bot’s message', message({ from: { id: 99, is_bot: true, first_name: 'Other bot' }, text: 'beep' })],
    ['a callback query without data (a game)', { update_id: 5, callback_query: { id: '1', from: { id: 1, is_bot: false, first_name: 'A' }, chat_instance: '1', game_short_name: 'g' } }],
  ])('acknowledges %s without an event', (_label, update) => {
    expect(parse(update)).toEqual([]);
  });

  it('maps a callback query to a postback titled with the pressed button', () => {
    expect(only(fixtureJson('telegram-callback-query.json'))).toEqual({
      kind: 'message',
      providerMessageId: '912345679',
      from: { address: '5123456789', name: 'Jana Müller' },
      timestamp: NOW,
      content: { postback: { payload: 'resend:yes:conv_8f2a41c7', title: 'Yes, resend it' } },
    });
  });

  it('answers a press on an inaccessible message from the user’s own chat, without a title', () => {
    const update = fixtureJson('telegram-callback-query.json');
    update.callback_query.message = { chat: update.callback_query.message.chat, message_id: 4218, date: 0 };
    expect(only(update)).toMatchObject({ from: { address: '5123456789' }, content: { postback: { payload: 'resend:yes:conv_8f2a41c7' } } });
    delete update.callback_query.message;
    update.callback_query.inline_message_id = 'AAAA';
    expect(only(update)).toMatchObject({ from: { address: '5123456789' } });
  });

  it('hands a referenced payload to the core as the button’s title, to be resolved against the latest options', () => {
    const long = `order:98765:${'x'.repeat(80)}`;
    const update = fixtureJson('telegram-callback-query.json');
    update.callback_query.message.reply_markup.inline_keyboard[0][0].callback_data = callbackData(long);
    update.callback_query.data = callbackData(long);
    expect(only(update)).toMatchObject({ content: { text: 'Yes, resend it' } });
    // Without the keyboard nothing names the option: the reference is kept as the payload.
    delete update.callback_query.message.reply_markup;
    expect(only(update)).toMatchObject({ content: { postback: { payload: callbackData(long) } } });
  });

  it.each([
    ['invalid JSON', Buffer.from('{nope')],
    ['an update without update_id', json({ message: {} })],
    ['a message without chat', json({ update_id: 1, message: { message_id: 1, date: 1, text: 'x' } })],
    ['a callback query without id', json({ update_id: 1, callback_query: { from: { id: 1, first_name: 'A' }, data: 'x' } })],
    ['something that is not an update', json([1, 2])],
  ])('rejects %s', (_label, body) => {
    expect(() => adapter.parse(telegramRequest(body, TELEGRAM_TEST_SECRET), context())).toThrow(PayloadError);
  });
});

describe('Telegram callback_data', () => {
  it('keeps payloads of up to 64 bytes and references longer ones in at most 64', () => {
    expect(callbackData('resend:yes:conv_8f2a41c7')).toBe('resend:yes:conv_8f2a41c7');
    expect(callbackData('x'.repeat(64))).toBe('x'.repeat(64));
    const long = callbackData('x'.repeat(65));
    expect(isCallbackReference(long)).toBe(true);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    // Bytes, not characters: 33 × "ñ" is 66 bytes.
    expect(isCallbackReference(callbackData('ñ'.repeat(33)))).toBe(true);
    expect(callbackData('x'.repeat(65))).toBe(long);
    expect(callbackData('y'.repeat(65))).not.toBe(long);
  });

  it('references a payload that looks like a reference, so that the prefix is unambiguous', () => {
    expect(callbackData('ref:abc')).not.toBe('ref:abc');
    expect(isCallbackReference(callbackData('ref:abc'))).toBe(true);
  });
});

describe('Telegram outbound mapping', () => {
  const sendMessageFixture = fixtureJson('telegram-sendMessage-request.json');

  it('sends MarkdownV2 with an inline keyboard exactly as the recorded request (Parley does not quote)', () => {
    const { rendered } = renderContent(
      {
        text: '**Order 98765** was returned to us. Shall we resend it?',
        format: 'markdown',
        buttons: [
          { title: 'Yes, resend it', payload: 'resend:yes:conv_8f2a41c7' },
          { title: 'Refund instead', payload: 'resend:refund:conv_8f2a41c7' },
          { title: 'Track parcel', url: 'https://track.example.com/98765' },
        ],
      },
      CHANNEL_CAPABILITIES.telegram,
    );
    const { reply_parameters: _quote, ...expected } = sendMessageFixture;
    expect(toTelegramCalls('5123456789', rendered)).toEqual([{ method: 'sendMessage', params: { ...expected, chat_id: '5123456789' } }]);
  });

  it('sends plain text without parse_mode', () => {
    expect(toTelegramCalls('1', { text: 'Hi (no markup) 1.5!' })).toEqual([{ method: 'sendMessage', params: { chat_id: '1', text: 'Hi (no markup) 1.5!' } }]);
  });

  it('puts quick replies, list items and time slots on the keyboard, with the list and picker titles in the text', () => {
    const calls = toTelegramCalls('1', {
      quickReplies: [{ title: 'Yes', payload: 'y' }, { title: 'No', payload: 'n' }, { title: 'Maybe later, thanks', payload: 'm' }],
      listPicker: { title: 'Shipping', items: [{ title: 'Standard', subtitle: '3-5 days', payload: 'ship_standard' }, { title: 'Express', payload: 'ship_express' }] },
      timePicker: { title: 'Pick a time', timezone: 'Europe/Madrid', slots: [{ start: '2026-11-20T09:00:00Z', durationMinutes: 30 }] },
    });
    expect(calls).toEqual([
      {
        method: 'sendMessage',
        params: {
          chat_id: '1',
          text: '*Shipping*\nStandard — 3\\-5 days\n\n*Pick a time \\(Europe/Madrid\\)*',
          parse_mode: 'MarkdownV2',
          reply_markup: {
            inline_keyboard: [
              [{ text: 'Yes', callback_data: 'y' }, { text: 'No', callback_data: 'n' }],
              [{ text: 'Maybe later, thanks', callback_data: 'm' }],
              [{ text: 'Standard', callback_data: 'ship_standard' }],
              [{ text: 'Express', callback_data: 'ship_express' }],
              [{ text: 'Fri, Nov 20, 10:00 AM', callback_data: '2026-11-20T09:00:00Z' }],
            ],
          },
        },
      },
    ]);
  });

  it('gives long titles and links a row each, and sends a long payload as a reference', () => {
    const long = 'x'.repeat(100);
    const [call] = toTelegramCalls('1', { text: 'Pick', buttons: [{ title: 'A rather long button title', payload: 'a' }, { title: 'B', payload: long }, { title: 'Site', url: 'https://e.com' }, { title: 'C', payload: 'c' }] });
    expect(call!.params.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'A rather long button title', callback_data: 'a' }], [{ text: 'B', callback_data: callbackData(long) }], [{ text: 'Site', url: 'https://e.com' }], [{ text: 'C', callback_data: 'c' }]],
    });
  });

  it('splits text over 4096 characters and puts the keyboard on the last part', () => {
    const text = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const calls = toTelegramCalls('1', { text, buttons: [{ title: 'OK', payload: 'ok' }] });
    expect(calls.length).toBe(2);
    expect(calls.every((call) => call.method === 'sendMessage' && call.params.text.length <= 4096)).toBe(true);
    expect(calls.map((call) => (call.method === 'sendMessage' ? call.params.text : '')).join(' ')).toBe(text);
    expect(calls[0]!.params.reply_markup).toBeUndefined();
    expect(calls[1]!.params.reply_markup).toEqual({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] });
  });

  it('sends attachments by URL after the text, photos as photos and the rest as documents', () => {
    const attachments = [
      { url: 'https://files.example.com/box.png', contentType: 'image/png' },
      { url: 'https://files.example.com/i.pdf', contentType: 'application/pdf', name: 'invoice.pdf' },
      { url: 'https://files.example.com/logo.svg', contentType: 'image/svg+xml' },
    ];
    expect(toTelegramCalls('1', { text: 'See', attachments, buttons: [{ title: 'OK', payload: 'ok' }] })).toEqual([
      { method: 'sendMessage', params: { chat_id: '1', text: 'See', reply_markup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] } } },
      { method: 'sendPhoto', params: { chat_id: '1', photo: 'https://files.example.com/box.png' } },
      { method: 'sendDocument', params: { chat_id: '1', document: 'https://files.example.com/i.pdf' }, label: 'invoice.pdf' },
      { method: 'sendDocument', params: { chat_id: '1', document: 'https://files.example.com/logo.svg' } },
    ]);
    // Without text the keyboard rides on the last file.
    const calls = toTelegramCalls('1', { attachments: attachments.slice(0, 1), buttons: [{ title: 'OK', payload: 'ok' }] });
    expect(calls).toEqual([{ method: 'sendPhoto', params: { chat_id: '1', photo: 'https://files.example.com/box.png', reply_markup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] } } }]);
  });

  it('prompts when a keyboard comes without any text', () => {
    expect(toTelegramCalls('1', { buttons: [{ title: 'OK', payload: 'ok' }] })[0]!.params).toMatchObject({ text: 'Choose an option', parse_mode: 'MarkdownV2' });
  });

  it('sends cards and rich links as the renderer degraded them, in MarkdownV2', () => {
    const content: Content = { cards: [{ title: 'Deal #1 (50% off!)', buttons: [{ title: 'Buy-now', url: 'https://e.com/a_b.c' }] }], richLink: { url: 'https://shop.example.com/b', title: 'Shop' } };
    const { rendered } = renderContent(content, CHANNEL_CAPABILITIES.telegram);
    expect(toTelegramCalls('1', rendered)).toEqual([
      { method: 'sendMessage', params: { chat_id: '1', text: '*Deal \\#1 \\(50% off\\!\\)*\n1\\. Buy\\-now: https://e\\.com/a\\_b\\.c\n\nShop\nhttps://shop\\.example\\.com/b', parse_mode: 'MarkdownV2' } },
    ]);
  });
});

describe('Telegram error classification', () => {
  it.each([
    ['429 with retry_after 7', 'rate_limited', new TelegramApiError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), 7000],
    ['429 without retry_after', 'rate_limited', new TelegramApiError(429, 'Too Many Requests'), undefined],
    ['500 Internal Server Error', 'temporary', new TelegramApiError(500, 'Internal Server Error'), undefined],
    ['502 Bad Gateway', 'temporary', new TelegramApiError(502, 'Bad Gateway'), undefined],
    ['401 Unauthorized', 'auth_revoked', new TelegramApiError(401, 'Unauthorized'), undefined],
    ['404 Not Found', 'auth_revoked', new TelegramApiError(404, 'Not Found'), undefined],
    ['403 Forbidden: bot was blocked by the user', 'invalid_recipient', new TelegramApiError(403, 'Forbidden: bot was blocked by the user'), undefined],
    ['403 Forbidden: user is deactivated', 'invalid_recipient', new TelegramApiError(403, 'Forbidden: user is deactivated'), undefined],
    ['400 Bad Request: chat not found', 'invalid_recipient', new TelegramApiError(400, 'Bad Request: chat not found'), undefined],
    ['400 group upgraded to a supergroup (migrate_to_chat_id)', 'invalid_recipient', new TelegramApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001 }), undefined],
    ['400 can’t parse entities', 'permanent', new TelegramApiError(400, "Bad Request: can't parse entities: Character '.' is reserved"), undefined],
    ['400 Bad Request: message is too long', 'permanent', new TelegramApiError(400, 'Bad Request: message is too long'), undefined],
    ['NetworkError', 'temporary', new NetworkError('Network request failed: sendMessage', { cause: Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } }) }), undefined],
    ['TimeoutError', 'temporary', new TimeoutError('Request timed out: sendMessage'), undefined],
    ['ParseError', 'temporary', new ParseError('Invalid JSON in response to sendMessage', { responseText: '<html>' }), undefined],
  ] as const)('%s → %s', (_label, errorClass, error, retryAfterMs) => {
    const classified = classifyTelegramError(error, 'sendMessage');
    expect({ errorClass: classified.errorClass, retryAfterMs: classified.retryAfterMs }).toEqual({ errorClass, retryAfterMs });
  });

  it('names the method and Telegram’s description', () => {
    expect(classifyTelegramError(new TelegramApiError(403, 'Forbidden: bot was blocked by the user'), 'sendMessage').message).toBe('Telegram sendMessage 403: Forbidden: bot was blocked by the user');
    expect(classifyTelegramError(new NetworkError('x', { cause: Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) }), 'getFile').message).toBe('Telegram unreachable (getFile): ECONNREFUSED');
  });
});

describe('Telegram over the Bot API', () => {
  const fake = new TelegramApiFake();
  const at = (config: Partial<TelegramConfig> = {}, media?: MediaSink) => context({ apiBaseUrl: fake.baseUrl, ...config }, media);
  const outbound = (rendered: Content): OutboundMessage => ({ messageId: 'm', caseId: 'c', threadKey: null, to: { address: '5123456789' }, rendered });
  const failure = async (promise: Promise<unknown>): Promise<ProviderError> => {
    const error = await promise.then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };

  beforeAll(async () => {
    fake.tokens.add(TELEGRAM_TEST_BOT_TOKEN);
    await fake.listen();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends through node-telegram-bot-api at apiBaseUrl, form-encoded, and reports chat:message_id', async () => {
    const result = await adapter.send(outbound({ text: 'Hi *there*', format: 'telegram-markdownv2', buttons: [{ title: 'OK', payload: 'ok' }] }), at());
    expect(fake.calls).toEqual([
      {
        token: TELEGRAM_TEST_BOT_TOKEN,
        method: 'sendMessage',
        contentType: 'application/x-www-form-urlencoded',
        params: { chat_id: '5123456789', text: 'Hi *there*', parse_mode: 'MarkdownV2', reply_markup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] } },
      },
    ]);
    expect(result.externalId).toMatch(/^5123456789:\d+$/);
  });

  it('resumes after the messages Telegram accepted: part 2 of 3 failing sends only parts 2 and 3 again', async () => {
    // Two text parts (over 4096 characters) and a document.
    const text = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const rendered: Content = { text, attachments: [{ url: 'https://files.example.com/i.pdf', contentType: 'application/pdf' }] };
    const recorded: Array<[number, string]> = [];
    const onPartSent = async (index: number, externalId: string) => void recorded.push([index, externalId]);
    fake.respond = (_call, n) => (n === 2 ? apiError(500, 'Internal Server Error') : undefined);

    const error = await failure(adapter.send({ ...outbound(rendered), onPartSent }, at()));
    expect([error.errorClass, error.message]).toEqual(['temporary', 'Part 2 of 3: Telegram sendMessage 500: Internal Server Error']);
    expect(recorded).toHaveLength(1);

    const result = await adapter.send({ ...outbound(rendered), sentParts: recorded.map(([, id]) => id), onPartSent }, at());
    expect(fake.calls.map((call) => call.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage', 'sendDocument']);
    const texts = fake.calls.map((call) => call.params.text as string | undefined);
    expect(texts[2]).toBe(texts[1]);
    expect(`${texts[0]} ${texts[2]}`).toBe(text);
    expect(result).toEqual({ externalId: recorded[0]![1] });
    expect(recorded.map(([index]) => index)).toEqual([0, 1, 2]);
    expect(recorded.every(([, id]) => /^5123456789:\d+$/.test(id))).toBe(true);
  });

  it('resends MarkdownV2 that Telegram cannot parse as plain text', async () => {
    fake.respond = (call, n) => (n === 1 ? apiError(400, "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0") : undefined);
    await adapter.send(outbound({ text: '*Bold\\!', format: 'telegram-markdownv2' }), at());
    expect(fake.calls.map((call) => call.params)).toEqual([
      { chat_id: '5123456789', text: '*Bold\\!', parse_mode: 'MarkdownV2' },
      { chat_id: '5123456789', text: '*Bold!' },
    ]);
  });

  it('sends a file Telegram cannot fetch as a link', async () => {
    fake.respond = (call) => (call.method === 'sendDocument' ? apiError(400, 'Bad Request: wrong file identifier/HTTP URL specified') : undefined);
    await adapter.send(outbound({ attachments: [{ url: 'https://files.example.com/i.pdf', contentType: 'application/pdf', name: 'invoice.pdf' }] }), at());
    expect(fake.calls.map((call) => [call.method, call.params])).toEqual([
      ['sendDocument', { chat_id: '5123456789', document: 'https://files.example.com/i.pdf' }],
      ['sendMessage', { chat_id: '5123456789', text: 'invoice.pdf: https://files.example.com/i.pdf' }],
    ]);
  });

  it.each([
    ['400 chat not found', 'invalid_recipient', apiError(400, 'Bad Request: chat not found'), undefined],
    ['403 blocked', 'invalid_recipient', apiError(403, 'Forbidden: bot was blocked by the user'), undefined],
    ['401', 'auth_revoked', apiError(401, 'Unauthorized'), undefined],
    ['429 with retry_after', 'rate_limited', apiError(429, 'Too Many Requests: retry after 3', { retry_after: 3 }), 3000],
    ['500', 'temporary', apiError(500, 'Internal Server Error'), undefined],
    ['502 without a Bot API body', 'temporary', { status: 502, body: '<html>Bad Gateway</html>' }, undefined],
  ] as const)('classifies %s from the API as %s', async (_label, errorClass, answer, retryAfterMs) => {
    fake.respond = () => answer;
    const error = await failure(adapter.send(outbound({ text: 'hi' }), at()));
    expect({ errorClass: error.errorClass, retryAfterMs: error.retryAfterMs }).toEqual({ errorClass, retryAfterMs });
    // The SDK does not retry: the outbound queue does.
    expect(fake.calls).toHaveLength(1);
  });

  it('classifies an unknown bot token (404 Not Found) as revoked, without the token in the reason', async () => {
    const error = await failure(adapter.send(outbound({ text: 'hi' }), at({ botToken: 'not-a-token' })));
    expect(error.errorClass).toBe('auth_revoked');
    expect(error.message).toBe('Telegram sendMessage 404: Not Found');
  });

  it('classifies a timeout and a refused connection as temporary', async () => {
    fake.respond = () => ({ status: 200, hang: true });
    const slow = await failure(adapter.send(outbound({ text: 'hi' }), at()));
    expect({ errorClass: slow.errorClass, message: slow.message }).toEqual({ errorClass: 'temporary', message: 'Telegram sendMessage: no answer in time' });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await failure(adapter.send(outbound({ text: 'hi' }), context({ apiBaseUrl: `http://127.0.0.1:${port}` })));
    expect({ errorClass: refused.errorClass, message: refused.message }).toEqual({ errorClass: 'temporary', message: 'Telegram unreachable (sendMessage): ECONNREFUSED' });
  });

  it('registers the webhook URL and secret with setWebhook, and fails with the reason', async () => {
    await adapter.onConfigured(at());
    expect(fake.calls).toEqual([
      expect.objectContaining({
        method: 'setWebhook',
        params: { url: `https://inbox.example.com/webhooks/${channelId}`, secret_token: TELEGRAM_TEST_SECRET, allowed_updates: ['message', 'callback_query'] },
      }),
    ]);
    fake.respond = () => apiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    const error = await failure(adapter.onConfigured(at()));
    expect(error.message).toBe('Telegram setWebhook 400: Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
  });

  it('answers the callback query after storage, and nothing else', async () => {
    const callback = telegramRequest(telegramFixture('telegram-callback-query.json'), TELEGRAM_TEST_SECRET);
    await adapter.afterStored(callback, at(), [{ kind: 'message', id: 'm', caseId: 'c', duplicate: false }]);
    expect(fake.calls.map((call) => [call.method, call.params])).toEqual([['answerCallbackQuery', { callback_query_id: '2200223311445566778' }]]);
    await adapter.afterStored(telegramRequest(telegramFixture('telegram-message.json'), TELEGRAM_TEST_SECRET), at(), []);
    expect(fake.calls).toHaveLength(1);
  });

  describe('prepare', () => {
    const photo = () => adapter.parse(telegramRequest(telegramFixture('telegram-photo-message.json'), TELEGRAM_TEST_SECRET), at()).events;
    const fileId = 'AgACAgIAAxkBAAIQeWZfakePhotoLarge0000AAQ';
    const saved: MediaInput[] = [];
    const sink: MediaSink = {
      save: async (input) => {
        saved.push(input);
        return { url: `https://parley.example.com/media/${saved.length}`, contentType: input.contentType, size: input.data.length };
      },
    };
    beforeEach(() => {
      saved.length = 0;
      fake.files.set(fileId, { path: 'photos/file_12.jpg', data: Buffer.from('jpeg bytes'), contentType: 'application/octet-stream' });
    });

    it('copies the photo into media storage through getFile and the file URL', async () => {
      const [event] = await adapter.prepare(photo(), at({}, sink));
      expect(fake.callsTo('getFile').map((call) => call.params)).toEqual([{ file_id: fileId }]);
      expect(fake.downloads).toEqual(['photos/file_12.jpg']);
      // Telegram's own type for the photo, not the file server's octet-stream.
      expect(saved).toEqual([{ data: Buffer.from('jpeg bytes'), contentType: 'image/jpeg' }]);
      expect(event).toMatchObject({ content: { text: 'Damaged box 😞', attachments: [{ url: 'https://parley.example.com/media/1', contentType: 'image/jpeg' }] } });
    });

    it('keeps the reference without storage, or when Telegram refuses the file', async () => {
      expect(await adapter.prepare(photo(), at())).toEqual(photo());
      expect(fake.calls).toHaveLength(0);
      fake.respond = () => apiError(400, 'Bad Request: file is too big');
      expect(await adapter.prepare(photo(), at({}, sink))).toEqual(photo());
      expect(saved).toHaveLength(0);
    });

    it('throws a temporary failure so that the webhook answers 503 and Telegram redelivers', async () => {
      fake.respond = () => apiError(502, 'Bad Gateway');
      const error = await failure(adapter.prepare(photo(), at({}, sink)));
      expect(error.retryable).toBe(true);
    });
  });
});
