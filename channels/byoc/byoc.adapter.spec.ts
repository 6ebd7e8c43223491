import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PayloadError,
  ProviderError,
  SignatureError,
  type ChannelContext,
  type OutboundMessage,
  type WebhookRequest,
} from '../channel-adapter.port';
import { ByocAdapter } from './byoc.adapter';
import type { ByocConfig } from './byoc.config';
import { BYOC_TEST_SECRET, signedByocRequest } from './byoc.fixtures';
import { signByoc, verifyByocSignature } from './byoc.signature';

const NOW = Date.parse('2026-11-20T10:05:00Z');
const NOW_S = NOW / 1000;
const adapter = new ByocAdapter({ now: () => NOW });

const context = (config: Partial<ByocConfig> = {}): ChannelContext<ByocConfig> => ({
  channelId: '6f1c2a9e-4b7d-4e0a-9c3b-2d5e8f7a1b60',
  webhookUrl: 'https://inbox.example.com/webhooks/6f1c2a9e-4b7d-4e0a-9c3b-2d5e8f7a1b60',
  config: { callbackUrl: 'https://integrator.example.com/parley', secret: BYOC_TEST_SECRET, ...config },
});

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function requestWith(rawBody: Buffer, headers: WebhookRequest['headers']): WebhookRequest {
  return { method: 'POST', headers, query: {}, rawBody };
}

const message = (overrides: Record<string, unknown> = {}) => ({
  type: 'message',
  messageId: 'ext-1001',
  from: { id: 'user-42' },
  content: { text: 'Hola' },
  ...overrides,
});

const parse = (body: unknown) => adapter.parse(signedByocRequest(json(body), BYOC_TEST_SECRET, NOW));

describe('ByocAdapter.verify', () => {
  const body = json(message());

  it('accepts a request signed now, whatever the header case', () => {
    expect(() => adapter.verify(signedByocRequest(body, BYOC_TEST_SECRET, NOW), context())).not.toThrow();
    const headers = {
      'X-Parley-Timestamp': String(NOW_S),
      'X-Parley-Signature': signByoc(BYOC_TEST_SECRET, NOW_S, body),
    };
    expect(() => adapter.verify(requestWith(body, headers), context())).not.toThrow();
  });

  it('accepts a timestamp exactly 300 s away and rejects one 301 s away, either side', () => {
    for (const offset of [-300, 300]) {
      expect(() => adapter.verify(signedByocRequest(body, BYOC_TEST_SECRET, NOW + offset * 1000), context())).not.toThrow();
    }
    for (const offset of [-301, 301]) {
      expect(() => adapter.verify(signedByocRequest(body, BYOC_TEST_SECRET, NOW + offset * 1000), context())).toThrow(
        /more than 300 s/,
      );
    }
  });

  it('rejects missing headers', () => {
    const signed = signedByocRequest(body, BYOC_TEST_SECRET, NOW);
    const { 'x-parley-timestamp': _timestamp, ...withoutTimestamp } = signed.headers;
    const { 'x-parley-signature': _signature, ...withoutSignature } = signed.headers;
    expect(() => adapter.verify(requestWith(body, withoutTimestamp), context())).toThrow(SignatureError);
    expect(() => adapter.verify(requestWith(body, withoutSignature), context())).toThrow(SignatureError);
    expect(() => adapter.verify(requestWith(body, {}), context())).toThrow(/Missing X-Parley-Timestamp/);
  });

  it('rejects a wrong secret, a tampered body and malformed headers', () => {
    const signed = signedByocRequest(body, BYOC_TEST_SECRET, NOW);
    expect(() => adapter.verify(signed, context({ secret: 'some-other-secret-entirely' }))).toThrow(SignatureError);
    expect(() => adapter.verify({ ...signed, rawBody: json(message({ messageId: 'ext-1002' })) }, context())).toThrow(
      SignatureError,
    );
    const malformed = [
      { 'x-parley-timestamp': 'yesterday', 'x-parley-signature': signed.headers['x-parley-signature'] },
      { 'x-parley-timestamp': String(NOW_S), 'x-parley-signature': 'sha256=abc' },
      { 'x-parley-timestamp': String(NOW_S), 'x-parley-signature': 'v1=' + 'f'.repeat(63) },
      { 'x-parley-timestamp': String(NOW_S), 'x-parley-signature': ['v1=a', 'v1=b'] },
    ];
    for (const headers of malformed) expect(() => adapter.verify(requestWith(body, headers), context())).toThrow(SignatureError);
  });

  it('rejects everything when the channel has no secret', () => {
    const signed = signedByocRequest(body, BYOC_TEST_SECRET, NOW);
    expect(() => adapter.verify(signed, context({ secret: undefined }))).toThrow(SignatureError);
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const headers = {
      'x-parley-timestamp': String(NOW_S),
      'x-parley-signature': `${signByoc('old-secret-being-rotated', NOW_S, body)}, ${signByoc(BYOC_TEST_SECRET, NOW_S, body)}`,
    };
    expect(() => adapter.verify(requestWith(body, headers), context())).not.toThrow();
  });
});

describe('ByocAdapter.parse', () => {
  it('rejects a body that is not JSON', () => {
    expect(() => adapter.parse(requestWith(Buffer.from('{"type":'), {}))).toThrow(PayloadError);
  });

  it('requires messageId, at most 200 characters', () => {
    const { messageId: _messageId, ...withoutId } = message();
    expect(() => parse(withoutId)).toThrow(new PayloadError('messageId: Required'));
    expect(() => parse(message({ messageId: 'x'.repeat(201) }))).toThrow(/messageId: At most 200/);
    expect(parse(message({ messageId: 'x'.repeat(200) })).events).toHaveLength(1);
  });

  it('rejects an unknown type, a sender without id and invalid content, naming the field', () => {
    expect(() => parse({ ...message(), type: 'typing' })).toThrow(/type: Must be "message" or "status"/);
    expect(() => parse(message({ from: { name: 'Ana' } }))).toThrow(/from\.id: Required/);
    expect(() => parse(message({ content: { buttons: [{ payload: 'x' }] } }))).toThrow(/content\.buttons\.0\.title/);
    expect(() => parse(message({ content: {} }))).toThrow(PayloadError);
    expect(() => parse(message({ timestamp: 'last tuesday' }))).toThrow(/timestamp/);
  });

  it('parses a message, defaulting the timestamp to now and merging attachments into content', () => {
    const attachment = { url: 'https://files.example.com/a.pdf', contentType: 'application/pdf' };
    const { events } = parse(message({ threadId: null, attachments: [attachment] }));
    expect(events).toEqual([
      {
        kind: 'message',
        providerMessageId: 'ext-1001',
        from: { address: 'user-42' },
        timestamp: new Date(NOW),
        content: { text: 'Hola', attachments: [attachment] },
      },
    ]);
  });

  it('accepts a message with attachments only', () => {
    const attachment = { url: 'https://files.example.com/a.png', contentType: 'image/png' };
    const { events } = parse(message({ content: undefined, attachments: [attachment] }));
    expect(events[0]).toMatchObject({ kind: 'message', content: { attachments: [attachment] } });
  });

  it('parses a postback', () => {
    const { events } = parse(message({ content: { postback: { payload: 'opt-2', title: 'Rastrear' } } }));
    expect(events[0]).toMatchObject({ kind: 'message', content: { postback: { payload: 'opt-2', title: 'Rastrear' } } });
  });

  it('parses a status', () => {
    const messageId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(parse({ type: 'status', messageId, status: 'read' }).events).toEqual([{ kind: 'status', messageId, status: 'read' }]);
    expect(parse({ type: 'status', messageId, status: 'failed', error: 'blocked' }).events).toEqual([
      { kind: 'status', messageId, status: 'failed', error: 'blocked' },
    ]);
    expect(() => parse({ type: 'status', messageId, status: 'seen' })).toThrow(/status/);
    expect(() => parse({ type: 'status', messageId: 'ext-1001', status: 'read' })).toThrow(/messageId/);
  });
});

describe('ByocAdapter.send', () => {
  type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
  let server: Server;
  let baseUrl: string;
  let handler: Handler;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => handler(request, Buffer.concat(chunks).toString('utf8'), response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  // Signatures are made with the real clock here: the fake integrator checks them against it.
  const liveAdapter = new ByocAdapter({ timeoutMs: 300 });
  const outbound: OutboundMessage = {
    messageId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    caseId: '9b2e4c1a-7d3f-4a5b-8c6d-1e2f3a4b5c6d',
    threadKey: 't-9',
    to: { address: 'user-42', name: 'Ana Lima' },
    rendered: { text: '¿Cuál es tu número de pedido?', buttons: [{ title: 'No lo tengo', payload: 'no-order' }] },
  };
  const send = (path = '/callback') => liveAdapter.send(outbound, context({ callbackUrl: `${baseUrl}${path}` }));
  const answer = (status: number, body = '', headers: Record<string, string> = {}): Handler => (_request, _body, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };
  const failure = async (promise: Promise<unknown>): Promise<ProviderError> => {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };

  it('posts the signed callback body and returns the externalId', async () => {
    let received: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string } | undefined;
    handler = (request, body, response) => {
      received = { method: request.method, url: request.url, headers: request.headers, body };
      answer(200, JSON.stringify({ externalId: 'ext-out-77' }))(request, body, response);
    };

    await expect(send()).resolves.toEqual({ externalId: 'ext-out-77' });

    expect(received).toMatchObject({ method: 'POST', url: '/callback' });
    expect(received!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received!.body)).toEqual({
      messageId: outbound.messageId,
      caseId: outbound.caseId,
      threadId: 't-9',
      to: { id: 'user-42' },
      content: outbound.rendered,
    });
    const timestamp = received!.headers['x-parley-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(received!.headers['x-parley-signature']).toBe(signByoc(BYOC_TEST_SECRET, timestamp, received!.body));
    expect(() =>
      verifyByocSignature(BYOC_TEST_SECRET, timestamp, received!.headers['x-parley-signature'] as string, Buffer.from(received!.body)),
    ).not.toThrow();
  });

  it('sends threadId null when the case has no thread', async () => {
    let body = '';
    handler = (request, received, response) => {
      body = received;
      answer(201, '{"externalId":"e-1"}')(request, received, response);
    };
    await liveAdapter.send({ ...outbound, threadKey: null }, context({ callbackUrl: `${baseUrl}/cb` }));
    expect(JSON.parse(body)).toMatchObject({ threadId: null });
  });

  it.each([
    [500, 'temporary'],
    [503, 'temporary'],
    [408, 'temporary'],
    [401, 'auth_revoked'],
    [403, 'auth_revoked'],
    [404, 'permanent'],
    [410, 'permanent'],
    [422, 'permanent'],
    [400, 'permanent'],
    [302, 'permanent'],
  ] as const)('classifies %i as %s', async (status, errorClass) => {
    handler = answer(status, '{"error":"nope"}', status === 302 ? { location: 'https://elsewhere.example.com/' } : {});
    const error = await failure(send());
    expect(error.errorClass).toBe(errorClass);
    expect(error.message).toContain(String(status));
    expect(error.retryable).toBe(errorClass === 'temporary');
  });

  it('classifies 429 as rate limited and honours Retry-After', async () => {
    handler = answer(429, '', { 'retry-after': '7' });
    const error = await failure(send());
    expect(error).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 7000 });
    expect(error.retryable).toBe(true);
  });

  it('classifies a callback that does not answer in time as temporary', async () => {
    handler = () => undefined; // never answers
    const error = await failure(send());
    expect(error.errorClass).toBe('temporary');
    expect(error.message).toMatch(/did not answer within 300 ms/);
  });

  it('classifies an unreachable callback as temporary', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(liveAdapter.send(outbound, context({ callbackUrl: `http://127.0.0.1:${port}/` })));
    expect(error.errorClass).toBe('temporary');
    expect(error.message).toMatch(/unreachable: ECONNREFUSED/);
  });

  it.each([
    ['no body', ''],
    ['a body without externalId', '{"ok":true}'],
    ['a non-string externalId', '{"externalId":42}'],
    ['a body that is not JSON', 'OK'],
  ])('fails permanently on a 2xx with %s', async (_case, body) => {
    handler = answer(200, body);
    const error = await failure(send());
    expect(error.errorClass).toBe('permanent');
    expect(error.message).toMatch(/without a JSON \{"externalId"/);
  });
});
