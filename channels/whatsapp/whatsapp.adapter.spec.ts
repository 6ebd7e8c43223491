import { GraphApiFake, graphError } from '../../test/fakes/graph-api.fake';
import { TwilioApiFake, twilioError } from '../../test/fakes/twilio-api.fake';
import { PayloadError, ProviderError, SignatureError, type ChannelContext, type OutboundMessage, type WebhookRequest } from '../channel-adapter.port';
import { recordedSignatures } from '../sms/sms.fixtures';
import { classifyGraphError } from './whatsapp-cloud.adapter';
import { renderContent } from '../../src/content/renderer';
import { FakeWwebjsClient } from '../../test/fakes/wwebjs-client.fake';
import { WwebjsSession } from './web/wwebjs-session';
import { toCloudMessages } from './whatsapp-cloud.mapper';
import { WhatsappAdapter } from './whatsapp.adapter';
import type { WhatsappConfig } from './whatsapp.config';
import { META_TEST_APP_SECRET, signedCloudRequest, WA_TEST_PHONE_NUMBER_ID, whatsappFixture } from './whatsapp.fixtures';

const adapter = new WhatsappAdapter({ cloud: { timeoutMs: 1000 }, twilio: { now: () => new Date('2026-11-20T10:05:00Z') } });
const signatures = recordedSignatures(__dirname);
const channelId = '8a6f2c1e-3b4d-4e5f-9a0b-1c2d3e4f5a6b';

const cloud = (overrides: Record<string, string> = {}): ChannelContext<WhatsappConfig> => ({
  channelId,
  webhookUrl: 'https://inbox.example.com/webhooks/whatsapp',
  config: { provider: 'cloud', phoneNumberId: WA_TEST_PHONE_NUMBER_ID, accessToken: 'wa-test-access-token', appSecret: META_TEST_APP_SECRET, verifyToken: 'wa-test-verify-token', ...overrides } as WhatsappConfig,
});
const viaTwilio = (webhookUrl: string): ChannelContext<WhatsappConfig> => ({
  channelId,
  webhookUrl,
  config: { provider: 'twilio', accountSid: 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9', authToken: 'f3a1c9e2b7d44e0a9c6b5d8e7f1a2b3c', from: 'whatsapp:+14155238886' },
});
const web: ChannelContext<WhatsappConfig> = { channelId, webhookUrl: 'https://inbox.example.com/webhooks/x', config: { provider: 'web' } };

function recorded(name: string): WebhookRequest {
  const headers = Object.fromEntries(Object.entries(signatures[name]!.headers).map(([key, value]) => [key.toLowerCase(), value]));
  return { method: 'POST', headers, query: {}, rawBody: whatsappFixture(name) };
}
const handshake = (query: Record<string, string>): WebhookRequest => ({ method: 'GET', headers: {}, query, rawBody: Buffer.alloc(0) });
const json = (name: string): any => JSON.parse(whatsappFixture(name).toString('utf8'));

describe('WhatsappAdapter (Cloud) verify', () => {
  it.each(['whatsapp-cloud-text.json', 'whatsapp-cloud-button-reply.json', 'whatsapp-cloud-list-reply.json', 'whatsapp-cloud-image.json', 'whatsapp-cloud-status.json'])(
    'accepts the recorded X-Hub-Signature-256 of %s',
    (name) => expect(() => adapter.verify(recorded(name), cloud())).not.toThrow(),
  );

  it('rejects a re-serialised body, another secret, a malformed or missing header', () => {
    const request = recorded('whatsapp-cloud-text.json');
    // JSON.stringify unescapes \u00fc: the bytes, and so the HMAC, differ.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(request.rawBody.toString('utf8'))));
    expect(() => adapter.verify({ ...request, rawBody: reserialised }, cloud())).toThrow(/does not match/);
    expect(() => adapter.verify(request, cloud({ appSecret: 'ffffffffffffffffffffffffffffffff' }))).toThrow(SignatureError);
    expect(() => adapter.verify({ ...request, headers: { 'x-hub-signature-256': 'sha1=abc' } }, cloud())).toThrow(/sha256=<hex>/);
    expect(() => adapter.verify({ ...request, headers: {} }, cloud())).toThrow(/Missing X-Hub-Signature-256/);
  });

  it('answers the hub.challenge handshake only with the verify token', () => {
    const good = handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wa-test-verify-token', 'hub.challenge': '1158201444' });
    expect(() => adapter.verify(good, cloud())).not.toThrow();
    expect(adapter.parse(good, cloud())).toEqual({ events: [], reply: { status: 200, body: '1158201444', contentType: 'text/plain' } });
    expect(() => adapter.verify(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }), cloud())).toThrow(SignatureError);
    expect(() => adapter.verify(handshake({ 'hub.verify_token': 'wa-test-verify-token', 'hub.challenge': '1' }), cloud())).toThrow(SignatureError);
  });
});

describe('WhatsappAdapter (Cloud) parse', () => {
  it('reads the timestamp in unix seconds and the profile name', () => {
    const [event] = adapter.parse(recorded('whatsapp-cloud-text.json'), cloud()).events;
    expect(event).toEqual({
      kind: 'message',
      providerMessageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDNzY3RDgyQTFCMkMzRDRFRjUA',
      from: { address: '4915112345678', phone: '+4915112345678', name: 'Jana Müller' },
      timestamp: new Date('2026-11-10T09:15:20.000Z'),
      content: { text: 'Hallo! Where is my order #98765? Grüße' },
    });
  });

  it('maps a failed status with the error title, and a template quick reply as a postback', () => {
    const status = json('whatsapp-cloud-status.json');
    status.entry[0].changes[0].value.statuses[0].status = 'failed';
    status.entry[0].changes[0].value.statuses[0].errors = [{ code: 131026, title: 'Message undeliverable' }];
    const failed = signedCloudRequest(Buffer.from(JSON.stringify(status)), META_TEST_APP_SECRET);
    expect(adapter.parse(failed, cloud()).events).toEqual([
      { kind: 'status', externalId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjg1QjQ5OEU1NkE0RDM3QUFGOQA=', status: 'failed', error: 'Message undeliverable (131026)' },
    ]);

    const button = json('whatsapp-cloud-button-reply.json');
    const message = button.entry[0].changes[0].value.messages[0];
    delete message.interactive;
    Object.assign(message, { type: 'button', button: { payload: 'resend_yes', text: 'Yes, resend it' } });
    expect(adapter.parse(signedCloudRequest(Buffer.from(JSON.stringify(button)), META_TEST_APP_SECRET), cloud()).events[0]).toMatchObject({
      content: { postback: { payload: 'resend_yes', title: 'Yes, resend it' } },
    });
  });

  it('maps a location and rejects what is not a WhatsApp notification', () => {
    const location = json('whatsapp-cloud-text.json');
    const message = location.entry[0].changes[0].value.messages[0];
    delete message.text;
    Object.assign(message, { type: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Acme HQ' } });
    expect(adapter.parse(signedCloudRequest(Buffer.from(JSON.stringify(location)), META_TEST_APP_SECRET), cloud()).events[0]).toMatchObject({
      content: { text: 'Location: 52.52, 13.405 (Acme HQ)' },
    });
    expect(() => adapter.parse(signedCloudRequest(Buffer.from('{"object":"page","entry":[]}'), META_TEST_APP_SECRET), cloud())).toThrow(PayloadError);
    expect(() => adapter.parse(signedCloudRequest(Buffer.from('not json'), META_TEST_APP_SECRET), cloud())).toThrow(PayloadError);
  });
});

describe('WhatsappAdapter via Twilio', () => {
  it.each(['twilio-whatsapp-inbound.form', 'twilio-whatsapp-button-reply.form'])('verifies the recorded signature of %s', (name) => {
    expect(() => adapter.verify(recorded(name), viaTwilio(signatures[name]!.url))).not.toThrow();
    expect(() => adapter.verify(recorded(name), viaTwilio('https://inbox.example.com/webhooks/other'))).toThrow(SignatureError);
  });

  it('maps media and template buttons, keeping the whatsapp: address and ignoring STOP keywords', () => {
    const context = viaTwilio(signatures['twilio-whatsapp-inbound.form']!.url);
    expect(adapter.parse(recorded('twilio-whatsapp-inbound.form'), context).events[0]).toMatchObject({
      kind: 'message',
      providerMessageId: 'MM4c3b2a190807f6e5d4c3b2a1908f7e6d',
      from: { address: 'whatsapp:+4915112345678', phone: '+4915112345678', name: 'Jana Müller' },
      content: { text: 'Here is the damaged box', attachments: [{ url: expect.stringContaining('/Media/ME1a2b3c4d5e6f708192a3b4c5d6e7f801'), contentType: 'image/jpeg' }] },
    });
    expect(adapter.parse(recorded('twilio-whatsapp-button-reply.form'), context).events[0]).toMatchObject({
      content: { text: 'Yes, resend it', postback: { payload: 'resend_yes', title: 'Yes, resend it' } },
    });
    const stop = { ...recorded('twilio-whatsapp-inbound.form'), rawBody: Buffer.from('MessageSid=SMx&From=whatsapp%3A%2B4915112345678&Body=STOP') };
    expect(adapter.parse(stop, context).events[0]).not.toHaveProperty('consent');
  });
});

describe('WhatsappAdapter acknowledgement', () => {
  const stored = [{ kind: 'message', id: 'm1', caseId: 'c1', duplicate: false }] as const;

  it('answers Twilio with empty TwiML and leaves Meta the core’s plain JSON acknowledgement', () => {
    expect(adapter.acknowledge(stored, viaTwilio('https://inbox.example.com/webhooks/x'))).toEqual({
      status: 200,
      body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
      contentType: 'text/xml',
    });
    expect(adapter.acknowledge(stored, cloud())).toBeUndefined();
  });
});

describe('WhatsappAdapter with whatsapp-web.js', () => {
  const message = { messageId: 'm', caseId: 'c', threadKey: null, to: { address: '4915112345678@c.us' }, rendered: { text: 'Your *order* ships today' } };

  it('refuses webhooks: its messages come from the session', () => {
    expect(() => adapter.parse(handshake({}), web)).toThrow(new PayloadError('whatsapp-web.js sessions do not receive webhooks'));
  });

  it('sends through the session the core hands it, and retries later when none runs here', async () => {
    const client = new FakeWwebjsClient({});
    const session = new WwebjsSession(channelId, client, { changed: () => undefined, message: () => undefined, ack: () => undefined });
    await session.start();
    client.pair();
    const result = await adapter.send(message, { ...web, session: () => session });
    expect(client.sends).toEqual([{ chatId: '4915112345678@c.us', content: 'Your *order* ships today', options: { parseVCards: false } }]);
    expect(result.externalId).toBe(`true_4915112345678@c.us_3EB00000000000000001`);

    const none = await adapter.send(message, { ...web, session: () => undefined }).catch((e: unknown) => e);
    expect(none).toMatchObject({ errorClass: 'temporary', message: expect.stringContaining('WWEBJS_ENABLED') });
    expect(await adapter.send(message, web).catch((e: unknown) => e)).toBeInstanceOf(ProviderError);
  });

  it('declares buttons and lists as text: the library can no longer send them', () => {
    const capabilities = adapter.capabilities(web.config);
    expect(capabilities).toMatchObject({ native: ['attachments'], dialect: 'whatsapp', replyWindowHours: 24, receipts: true, limits: { maxTextLength: 4096 } });
    const { rendered, options } = renderContent(
      { text: 'Your parcel came back. **Resend** it?', format: 'markdown', buttons: [{ title: 'Yes, resend it', payload: 'resend_yes' }, { title: 'Refund instead', payload: 'refund' }] },
      capabilities,
    );
    expect(rendered).toEqual({ text: 'Your parcel came back. *Resend* it?\n\n1. Yes, resend it\n2. Refund instead', format: 'whatsapp' });
    expect(options.map((o) => o.payload)).toEqual(['resend_yes', 'refund']);
  });
});

describe('Cloud send bodies', () => {
  const to = '4915112345678';
  const withoutHeaderAndFooter = (body: any) => {
    const { header: _header, footer: _footer, ...interactive } = body.interactive;
    return { ...body, interactive };
  };

  it('sends text as the documented text body', () => {
    const expected = json('whatsapp-cloud-send-text.json');
    expect(toCloudMessages(to, { text: expected.text.body, format: 'whatsapp' })).toEqual([expected]);
  });

  it('sends up to three reply buttons as an interactive button message', () => {
    const expected = withoutHeaderAndFooter(json('whatsapp-cloud-send-buttons.json'));
    const rendered = {
      text: 'Your parcel was returned to us. Shall we resend it?',
      buttons: [
        { title: 'Yes, resend it', payload: 'resend_yes' },
        { title: 'Refund instead', payload: 'resend_refund' },
        { title: 'Talk to an agent', payload: 'agent' },
      ],
    };
    expect(toCloudMessages(to, rendered)).toEqual([expected]);
    expect(toCloudMessages(to, { text: rendered.text, quickReplies: rendered.buttons })).toEqual([expected]);
  });

  it('sends a list picker as an interactive list with one section', () => {
    const fixture = withoutHeaderAndFooter(json('whatsapp-cloud-send-list.json'));
    const rows = fixture.interactive.action.sections.flatMap((section: { rows: unknown[] }) => section.rows);
    const expected = { ...fixture, interactive: { ...fixture.interactive, action: { button: 'Choose shipping', sections: [{ rows }] } } };
    const rendered = {
      text: 'How should we ship the replacement?',
      listPicker: { title: 'Choose shipping', items: rows.map((row: any) => ({ title: row.title, subtitle: row.description, payload: row.id })) },
    };
    expect(toCloudMessages(to, rendered)).toEqual([expected]);
  });

  it('sends a template with body parameters and components as Meta spells them', () => {
    const expected = json('whatsapp-cloud-send-template.json');
    const [, button] = expected.template.components;
    const rendered = { template: { name: 'order_followup', language: 'en_US', parameters: ['Jana', '98765', button] } };
    expect(toCloudMessages(to, rendered)).toEqual([expected]);
  });

  it('sends attachments by link after the text, a rich link with its preview', () => {
    const bodies = toCloudMessages(to, {
      text: 'Here you go',
      attachments: [
        { url: 'https://files.example.com/box.jpg', contentType: 'image/jpeg' },
        { url: 'https://files.example.com/label.pdf', contentType: 'application/pdf', name: 'label.pdf' },
      ],
    });
    expect(bodies.map((b) => b.type)).toEqual(['text', 'image', 'document']);
    expect(bodies[1]).toMatchObject({ image: { link: 'https://files.example.com/box.jpg' } });
    expect(bodies[2]).toMatchObject({ document: { link: 'https://files.example.com/label.pdf', filename: 'label.pdf' } });
    expect(toCloudMessages(to, { text: 'Track it', richLink: { url: 'https://track.example.com/98765' } })).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { preview_url: true, body: 'Track it\nhttps://track.example.com/98765' } },
    ]);
  });
});

describe('Cloud send and media over Graph', () => {
  const graph = new GraphApiFake();
  const outbound = (rendered: OutboundMessage['rendered']): OutboundMessage => ({ messageId: 'm-1', caseId: 'c-1', threadKey: null, to: { address: '4915112345678' }, rendered });
  const context = () => cloud({ apiBaseUrl: graph.baseUrl });
  const failure = async (promise: Promise<unknown>): Promise<ProviderError> => {
    const error = await promise.then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };

  beforeAll(async () => {
    graph.accessToken = 'wa-test-access-token';
    await graph.listen();
  });
  afterAll(() => graph.close());
  beforeEach(() => {
    graph.sends.length = 0;
    graph.respond = () => undefined;
  });

  it('posts to /v21.0/{phone-number-id}/messages with the bearer token and returns messages[0].id', async () => {
    await expect(adapter.send(outbound({ text: 'Hallo' }), context())).resolves.toEqual({ externalId: 'wamid.fake00000001' });
    expect(graph.sends).toEqual([{ phoneNumberId: WA_TEST_PHONE_NUMBER_ID, bearer: 'wa-test-access-token', body: expect.objectContaining({ type: 'text', to: '4915112345678' }) }]);
    expect(graph.requests.at(-1)!.path).toBe(`/v21.0/${WA_TEST_PHONE_NUMBER_ID}/messages`);
  });

  it('resumes after the messages Meta accepted: the image (part 2 of 3) failing sends only the image and the document again', async () => {
    const rendered = {
      text: 'Here you go',
      attachments: [
        { url: 'https://files.example.com/box.jpg', contentType: 'image/jpeg' },
        { url: 'https://files.example.com/label.pdf', contentType: 'application/pdf', name: 'label.pdf' },
      ],
    };
    const recorded: Array<[number, string]> = [];
    const onPartSent = async (index: number, externalId: string) => void recorded.push([index, externalId]);
    graph.respond = (n) => (n === 2 ? graphError(500, 1, 'An unknown error occurred') : undefined);

    const error = await failure(adapter.send({ ...outbound(rendered), onPartSent }, context()));
    expect([error.errorClass, error.message]).toEqual(['temporary', 'Part 2 of 3: WhatsApp 500 (1): An unknown error occurred']);
    expect(recorded).toHaveLength(1);

    const result = await adapter.send({ ...outbound(rendered), sentParts: recorded.map(([, id]) => id), onPartSent }, context());
    expect(graph.sends.map((send) => send.body.type)).toEqual(['text', 'image', 'image', 'document']);
    expect(result).toEqual({ externalId: recorded[0]![1] });
    expect(recorded.map(([index]) => index)).toEqual([0, 1, 2]);
    expect(new Set(recorded.map(([, id]) => id)).size).toBe(3);
  });

  it('resolves inbound media ids to their Graph download URL in prepare()', async () => {
    const { events } = adapter.parse(signedCloudRequest(whatsappFixture('whatsapp-cloud-image.json'), META_TEST_APP_SECRET), context());
    const [prepared] = await adapter.prepare(events, context());
    expect(graph.mediaLookups).toContain('1466328907753451');
    expect(prepared).toMatchObject({ content: { text: 'Damaged box', attachments: [{ url: `${graph.baseUrl}/whatsapp_business/attachments/?mid=1466328907753451`, contentType: 'image/jpeg' }] } });
  });

  it.each([
    [graphError(401, 190, 'Error validating access token: Session has expired'), 'auth_revoked'],
    [graphError(400, 190, 'Invalid OAuth access token.'), 'auth_revoked'],
    [graphError(400, 131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed'), 'permanent'],
    [graphError(400, 131026, 'Message undeliverable'), 'invalid_recipient'],
    [graphError(400, 131030, 'Recipient phone number not in allowed list'), 'invalid_recipient'],
    [graphError(400, 4, 'Application request limit reached'), 'rate_limited'],
    [graphError(400, 80007, 'Rate limit issues'), 'rate_limited'],
    [graphError(400, 130429, 'Rate limit hit'), 'rate_limited'],
    [{ status: 429, body: '' }, 'rate_limited'],
    [graphError(500, 1, 'An unknown error occurred'), 'temporary'],
    [{ status: 503, body: 'upstream unavailable' }, 'temporary'],
    [graphError(400, 100, 'Invalid parameter'), 'permanent'],
  ] as const)('classifies %j as %s', async (answer, errorClass) => {
    graph.respond = () => answer;
    const error = await failure(adapter.send(outbound({ text: 'Hallo' }), context()));
    expect(error.errorClass).toBe(errorClass);
  });

  it('gives the 24-hour window as the reason for 131047 and honours Retry-After', () => {
    expect(classifyGraphError(400, graphError(400, 131047, 'Re-engagement message').body).message).toBe('Outside the 24-hour window: only templates can be sent (131047)');
    expect(classifyGraphError(429, undefined, '30')).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 30_000 });
  });

  it('classifies a timeout as temporary', async () => {
    graph.respond = () => ({ status: 200, hang: true });
    const error = await failure(adapter.send(outbound({ text: 'Hallo' }), context()));
    expect([error.errorClass, error.message]).toEqual(['temporary', 'WhatsApp unreachable: no answer within 1000 ms']);
  });
});

describe('WhatsappAdapter via Twilio send', () => {
  const outbound = (rendered: OutboundMessage['rendered']): OutboundMessage => ({ messageId: 'm-1', caseId: 'c-1', threadKey: null, to: { address: 'whatsapp:+4915112345678' }, rendered });
  const failure = async (promise: Promise<unknown>): Promise<ProviderError> => {
    const error = await promise.then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };

  it('resumes a split text after the parts Twilio accepted: part 2 of 3 failing sends only parts 2 and 3 again', async () => {
    const twilio = new TwilioApiFake();
    await twilio.listen();
    try {
      const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
      const base = viaTwilio('https://inbox.example.com/webhooks/wa');
      const at: ChannelContext<WhatsappConfig> = { ...base, config: { ...base.config, apiBaseUrl: twilio.baseUrl } };
      const recorded: string[] = [];
      const onPartSent = async (_index: number, externalId: string) => void recorded.push(externalId);
      twilio.respond = (n) => (n === 2 ? twilioError(503, 20503, 'Service Unavailable') : undefined);
      await failure(adapter.send({ ...outbound({ text }), onPartSent }, at));
      await adapter.send({ ...outbound({ text }), sentParts: [...recorded], onPartSent }, at);
      expect(twilio.sends).toHaveLength(4);
      const delivered = twilio.sends.filter((send) => send.sid);
      expect(delivered).toHaveLength(3);
      expect(delivered.map((send) => send.form.get('Body')).join(' ')).toBe(text);
      expect(recorded).toEqual(delivered.map((send) => send.sid));
    } finally {
      await twilio.close();
    }
  });
});
