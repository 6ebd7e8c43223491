import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { TwilioApiFake, twilioError } from '../../test/fakes/twilio-api.fake';
import { PayloadError, ProviderError, SignatureError, type ChannelContext, type OutboundMessage, type WebhookRequest } from '../channel-adapter.port';
import { SmsAdapter } from './sms.adapter';
import type { SmsConfig } from './sms.config';
import { recordedSignatures, signedTwilioRequest, smsFixture, TWILIO_TEST_ACCOUNT_SID, TWILIO_TEST_AUTH_TOKEN } from './sms.fixtures';
import { consentKeyword, parseTwilioWebhook, readTwilioParams } from './sms.mapper';
import { EMPTY_TWIML } from './twilio-messaging';
import { parseRetryAfter } from './twilio.client';

const NOW = new Date('2026-11-20T10:05:00Z');
const adapter = new SmsAdapter({ now: () => NOW });
const signatures = recordedSignatures(__dirname);

const context = (webhookUrl: string, config: Partial<SmsConfig> = {}): ChannelContext<SmsConfig> => ({
  channelId: '3d0c5a71-8b2e-4f6a-9c1d-7e4b2a9f0c11',
  webhookUrl,
  config: { provider: 'twilio', accountSid: TWILIO_TEST_ACCOUNT_SID, authToken: TWILIO_TEST_AUTH_TOKEN, from: '+14155550100', ...config },
});

// The request exactly as recorded in shared/fixtures/signatures.json.
function recorded(name: string): { request: WebhookRequest; url: string } {
  const entry = signatures[name]!;
  const headers = Object.fromEntries(Object.entries(entry.headers).map(([key, value]) => [key.toLowerCase(), value]));
  return { request: { method: 'POST', headers, query: {}, rawBody: smsFixture(name) }, url: entry.url };
}

const form = (fields: Record<string, string>) => Buffer.from(new URLSearchParams(fields).toString());
const parseForm = (fields: Record<string, string>) => adapter.parse({ method: 'POST', headers: {}, query: {}, rawBody: form(fields) });

describe('SmsAdapter.verify (X-Twilio-Signature)', () => {
  it.each(['twilio-sms-inbound.form', 'twilio-mms-inbound.form', 'twilio-status-callback.form'])(
    'accepts the recorded signature of %s against its URL',
    (name) => {
      const { request, url } = recorded(name);
      expect(() => adapter.verify(request, context(url))).not.toThrow();
    },
  );

  it('rejects the recorded signature against another URL (the request host never counts)', () => {
    const { request } = recorded('twilio-sms-inbound.form');
    expect(() => adapter.verify(request, context('https://evil.example.com/webhooks/twilio/sms'))).toThrow(SignatureError);
  });

  it('rejects another auth token, a changed field, a missing header', () => {
    const { request, url } = recorded('twilio-sms-inbound.form');
    expect(() => adapter.verify(request, context(url, { authToken: 'another-token-entirely-000000000' }))).toThrow(SignatureError);
    const tampered = Buffer.from(request.rawBody.toString().replace('Body=Hi', 'Body=Yo'));
    expect(() => adapter.verify({ ...request, rawBody: tampered }, context(url))).toThrow(/does not match/);
    expect(() => adapter.verify({ ...request, headers: {} }, context(url))).toThrow(/Missing X-Twilio-Signature/);
  });

  it('accepts what the SDK signs for the channel webhook URL', () => {
    const url = 'http://localhost:3000/webhooks/3d0c5a71-8b2e-4f6a-9c1d-7e4b2a9f0c11';
    const request = signedTwilioRequest(form({ MessageSid: 'SM1', From: '+14155550123', Body: 'hola' }), TWILIO_TEST_AUTH_TOKEN, url);
    expect(() => adapter.verify(request, context(url))).not.toThrow();
  });
});

describe('SmsAdapter.parse', () => {
  it('maps an inbound SMS', () => {
    const { request } = recorded('twilio-sms-inbound.form');
    expect(adapter.parse(request).events).toEqual([
      {
        kind: 'message',
        providerMessageId: 'SM9f8e7d6c5b4a39281706f5e4d3c2b1a0',
        from: { address: '+14155550123', phone: '+14155550123' },
        timestamp: NOW,
        content: { text: "Hi, my order #98765 hasn't arrived yet. Can you help?" },
      },
    ]);
  });

  it('maps MMS media to attachments', () => {
    const { request } = recorded('twilio-mms-inbound.form');
    const [event] = adapter.parse(request).events;
    expect(event).toMatchObject({
      kind: 'message',
      providerMessageId: 'MM1a2b3c4d5e6f708192a3b4c5d6e7f809',
      content: {
        text: 'Photo of the damaged box',
        attachments: [{ url: expect.stringMatching(/^https:\/\/api\.twilio\.com\/.+\/Media\/ME0f1e2d3c4b5a69788796a5b4c3d2e1f0$/), contentType: 'image/jpeg' }],
      },
    });
  });

  it('maps a status callback by MessageSid', () => {
    const { request } = recorded('twilio-status-callback.form');
    expect(adapter.parse(request).events).toEqual([{ kind: 'status', externalId: 'SM7e6d5c4b3a291807f6e5d4c3b2a19080', status: 'delivered' }]);
  });

  it.each([
    ['queued', []],
    ['sending', []],
    ['accepted', []],
    ['sent', [{ kind: 'status', externalId: 'SM1', status: 'sent' }]],
    ['delivered', [{ kind: 'status', externalId: 'SM1', status: 'delivered' }]],
    ['read', [{ kind: 'status', externalId: 'SM1', status: 'read' }]],
    ['failed', [{ kind: 'status', externalId: 'SM1', status: 'failed', error: 'Twilio error 30003: Unreachable destination handset' }]],
    ['undelivered', [{ kind: 'status', externalId: 'SM1', status: 'failed', error: 'Twilio error 30003: Unreachable destination handset' }]],
  ])('maps MessageStatus=%s', (status, expected) => {
    const fields = { MessageSid: 'SM1', MessageStatus: status, ErrorCode: '30003', ErrorMessage: 'Unreachable destination handset' };
    expect(parseForm(fields).events).toEqual(expected);
  });

  it('marks opt-out and opt-in keywords, whole message only', () => {
    expect(parseForm({ MessageSid: 'SM2', From: '+14155550123', Body: ' stop ' }).events[0]).toMatchObject({ consent: 'opted_out', content: { text: ' stop ' } });
    expect(parseForm({ MessageSid: 'SM3', From: '+14155550123', Body: 'Unstop' }).events[0]).toMatchObject({ consent: 'opted_in' });
    expect(parseForm({ MessageSid: 'SM4', From: '+14155550123', Body: 'please stop the order' }).events[0]).not.toHaveProperty('consent');
    for (const word of ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']) expect(consentKeyword(word)).toBe('opted_out');
    for (const word of ['START', 'YES', 'UNSTOP']) expect(consentKeyword(word)).toBe('opted_in');
    // WhatsApp via Twilio does not honour keywords.
    const events = parseTwilioWebhook(readTwilioParams(form({ MessageSid: 'SM5', From: 'whatsapp:+4915112345678', Body: 'STOP' })), { keywords: false, now: NOW });
    expect(events[0]).not.toHaveProperty('consent');
  });

  it('rejects a body without MessageSid or From', () => {
    expect(() => parseForm({ Body: 'hi', From: '+14155550123' })).toThrow(new PayloadError('MessageSid: Required'));
    expect(() => parseForm({ MessageSid: 'SM9', Body: 'hi' })).toThrow(/From: Required/);
  });

  it('acknowledges with empty TwiML', () => {
    expect(adapter.acknowledge()).toEqual({ status: 200, body: EMPTY_TWIML, contentType: 'text/xml' });
    expect(EMPTY_TWIML).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
});

describe('SmsAdapter.send', () => {
  const fake = new TwilioApiFake();
  const fastAdapter = new SmsAdapter({ timeoutMs: 300 });
  const webhookUrl = 'https://inbox.example.com/webhooks/3d0c5a71-8b2e-4f6a-9c1d-7e4b2a9f0c11';
  const outbound = (rendered: OutboundMessage['rendered']): OutboundMessage => ({
    messageId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    caseId: '9b2e4c1a-7d3f-4a5b-8c6d-1e2f3a4b5c6d',
    threadKey: null,
    to: { address: '+14155550123' },
    rendered,
  });
  const send = (rendered: OutboundMessage['rendered']) => fastAdapter.send(outbound(rendered), context(webhookUrl, { apiBaseUrl: fake.baseUrl }));
  const failure = async (promise: Promise<unknown>): Promise<ProviderError> => {
    const error = await promise.then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };

  beforeAll(() => fake.listen());
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.sends.length = 0;
    fake.respond = () => undefined;
  });

  it('creates a message with From, To, Body, MediaUrl and StatusCallback, authenticated as the account', async () => {
    const result = await send({ text: 'Your order shipped', attachments: [{ url: 'https://files.example.com/label.pdf', contentType: 'application/pdf' }] });
    expect(fake.sends).toHaveLength(1);
    expect(result).toEqual({ externalId: fake.sends[0]!.sid });
    const [sent] = fake.sends;
    expect(sent!.accountSid).toBe(TWILIO_TEST_ACCOUNT_SID);
    expect(sent!.basicAuth).toEqual({ username: TWILIO_TEST_ACCOUNT_SID, password: TWILIO_TEST_AUTH_TOKEN });
    expect(Object.fromEntries(sent!.form)).toEqual({
      From: '+14155550100',
      To: '+14155550123',
      Body: 'Your order shipped',
      MediaUrl: 'https://files.example.com/label.pdf',
      StatusCallback: webhookUrl,
    });
  });

  it('splits text longer than 1600 characters and reports the first sid', async () => {
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const result = await send({ text: words });
    expect(fake.sends.length).toBe(Math.ceil(words.length / 1600));
    expect(fake.sends.every((s) => (s.form.get('Body') ?? '').length <= 1600)).toBe(true);
    expect(fake.sends.map((s) => s.form.get('Body')).join(' ')).toBe(words);
    expect(result.externalId).toBe(fake.sends[0]!.sid);
  });

  it('resumes a split message after the parts Twilio accepted: part 2 of 3 failing sends only parts 2 and 3 again', async () => {
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const media = [{ url: 'https://files.example.com/label.pdf', contentType: 'application/pdf' }];
    const recorded: Array<[number, string]> = [];
    const onPartSent = async (index: number, externalId: string) => void recorded.push([index, externalId]);
    const at = context(webhookUrl, { apiBaseUrl: fake.baseUrl });
    fake.respond = (n) => (n === 2 ? twilioError(503, 20503, 'Service Unavailable') : undefined);

    const error = await failure(fastAdapter.send({ ...outbound({ text: words, attachments: media }), onPartSent }, at));
    expect({ errorClass: error.errorClass, message: error.message }).toEqual({ errorClass: 'temporary', message: 'Part 2 of 3: Twilio 503 (20503): Service Unavailable' });
    expect(recorded).toEqual([[0, fake.sends[0]!.sid]]);

    const result = await fastAdapter.send({ ...outbound({ text: words, attachments: media }), sentParts: recorded.map(([, id]) => id), onPartSent }, at);
    const bodies = fake.sends.map((s) => s.form.get('Body'));
    // Part 1, part 2 refused, then parts 2 and 3 only; the media went once, with part 1.
    expect(fake.sends).toHaveLength(4);
    expect(bodies[3]).not.toBe(bodies[0]);
    expect(bodies[2]).toBe(bodies[1]);
    expect([bodies[0], bodies[2], bodies[3]].join(' ')).toBe(words);
    expect(fake.sends.map((s) => s.form.getAll('MediaUrl').length)).toEqual([1, 0, 0, 0]);
    expect(result).toEqual({ externalId: fake.sends[0]!.sid });
    expect(recorded).toEqual([0, 2, 3].map((n, index) => [index, fake.sends[n]!.sid]));
  });

  it.each([
    [twilioError(400, 21211, "The 'To' number is not a valid phone number."), 'invalid_recipient', 'Invalid recipient number'],
    [twilioError(400, 21614, "'To' number is not a valid mobile number"), 'invalid_recipient', 'Recipient number cannot receive SMS'],
    [twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'), 'invalid_recipient', 'Recipient opted out (STOP)'],
    [twilioError(401, 20003, 'Authenticate'), 'auth_revoked', 'Twilio 401 (20003): Authenticate'],
    [twilioError(403, 20005, 'Account not active'), 'auth_revoked', 'Twilio 403 (20005): Account not active'],
    [twilioError(429, 20429, 'Too Many Requests'), 'rate_limited', 'Twilio 429 (20429): Too Many Requests'],
    [twilioError(500, 20500, 'Internal Server Error'), 'temporary', 'Twilio 500 (20500): Internal Server Error'],
    [twilioError(503, 20503, 'Service Unavailable'), 'temporary', 'Twilio 503 (20503): Service Unavailable'],
    [twilioError(400, 21602, 'Message body is required.'), 'permanent', 'Twilio 400 (21602): Message body is required.'],
    [twilioError(404, 20404, 'Not Found'), 'permanent', 'Twilio 404 (20404): Not Found'],
  ] as const)('classifies %j as %s', async (answer, errorClass, message) => {
    fake.respond = () => answer;
    const error = await failure(send({ text: 'hi' }));
    expect({ errorClass: error.errorClass, message: error.message }).toEqual({ errorClass, message });
    expect(error.retryable).toBe(errorClass === 'temporary' || errorClass === 'rate_limited');
  });

  it('honours Retry-After on a 429, in seconds or as an HTTP date', async () => {
    fake.respond = () => ({ ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '7' } });
    const seconds = await failure(send({ text: 'hi' }));
    expect({ errorClass: seconds.errorClass, retryAfterMs: seconds.retryAfterMs }).toEqual({ errorClass: 'rate_limited', retryAfterMs: 7000 });

    fake.respond = () => ({ ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } });
    const dated = await failure(send({ text: 'hi' }));
    expect(dated.errorClass).toBe('rate_limited');
    // An HTTP date has whole seconds: between 58 and 60 s from now.
    expect(dated.retryAfterMs).toBeGreaterThan(58_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(60_000);

    fake.respond = () => twilioError(429, 20429, 'Too Many Requests');
    expect((await failure(send({ text: 'hi' }))).retryAfterMs).toBeUndefined();
  });

  it('reads Retry-After as delay-seconds or an HTTP-date', () => {
    const now = Date.parse('2026-11-20T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Fri, 20 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 20 Nov 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('classifies a timeout as temporary', async () => {
    fake.respond = () => ({ status: 200, hang: true });
    const error = await failure(send({ text: 'hi' }));
    expect(error.errorClass).toBe('temporary');
    expect(error.message).toMatch(/^Twilio unreachable/);
  });

  it('classifies a refused connection as temporary', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(fastAdapter.send(outbound({ text: 'hi' }), context(webhookUrl, { apiBaseUrl: `http://127.0.0.1:${port}` })));
    expect(error.errorClass).toBe('temporary');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});
