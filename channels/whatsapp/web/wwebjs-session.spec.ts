import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageMedia } from 'whatsapp-web.js';
import { FakeWwebjsClient } from '../../../test/fakes/wwebjs-client.fake';
import { ProviderError, type OutboundMessage } from '../../channel-adapter.port';
import { wwebjsFixture } from './wwebjs.fixtures';
import { WwebjsSession, type WwebjsSessionHooks, type WwebjsSessionState } from './wwebjs-session';

const CHANNEL = '8a6f2c1e-3b4d-4e5f-9a0b-1c2d3e4f5a6b';
const JANA = '4915112345678@c.us';
const PDF = Buffer.from('%PDF-1.4 fake label\n');

function recordingHooks() {
  const states: WwebjsSessionState[] = [];
  const messages: unknown[] = [];
  const acks: Array<[unknown, unknown]> = [];
  const hooks: WwebjsSessionHooks = {
    changed: (session) => states.push(session.snapshot.state),
    message: (_session, message) => messages.push(message),
    ack: (_session, message, ack) => acks.push([message, ack]),
  };
  return { hooks, states, messages, acks };
}

const outbound = (rendered: OutboundMessage['rendered'], address = JANA): OutboundMessage => ({ messageId: 'm1', caseId: 'c1', threadKey: null, to: { address }, rendered });

async function readySession(options: ConstructorParameters<typeof WwebjsSession>[3] = {}) {
  const client = new FakeWwebjsClient({});
  const recorded = recordingHooks();
  const session = new WwebjsSession(CHANNEL, client, recorded.hooks, options);
  await session.start();
  client.pair();
  return { client, session, ...recorded };
}

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('WwebjsSession lifecycle', () => {
  it('initialises the client and follows the pairing: starting, qr, authenticated, ready', async () => {
    const client = new FakeWwebjsClient({});
    const { hooks, states } = recordingHooks();
    const session = new WwebjsSession(CHANNEL, client, hooks, { now: () => new Date('2026-11-20T10:00:00Z') });
    await session.start();
    expect(client.initialized).toBe(1);
    expect(session.snapshot).toEqual({ state: 'starting', qr: null, reason: null, updatedAt: new Date('2026-11-20T10:00:00Z') });

    client.emit('qr', '2@abc,def==');
    expect(session.snapshot).toMatchObject({ state: 'qr', qr: '2@abc,def==' });
    client.emit('authenticated');
    expect(session.snapshot).toMatchObject({ state: 'authenticated', qr: null });
    client.emit('ready');
    expect(states).toEqual(['starting', 'qr', 'authenticated', 'ready']);
  });

  it('reports disconnects and authentication failures with their reason', async () => {
    const { client, session } = await readySession();
    client.emit('disconnected', 'CONFLICT');
    expect(session.snapshot).toMatchObject({ state: 'disconnected', reason: 'CONFLICT' });
    client.emit('auth_failure', 'Unable to log in. Are the session details valid?');
    expect(session.snapshot).toMatchObject({ state: 'auth_failure', reason: 'Unable to log in. Are the session details valid?' });
  });

  it('is disconnected, with the reason, when the browser cannot start', async () => {
    const client = new FakeWwebjsClient({});
    client.initializeError = new Error('Failed to launch the browser process! spawn /usr/bin/chromium ENOENT');
    const session = new WwebjsSession(CHANNEL, client, recordingHooks().hooks);
    await expect(session.start()).rejects.toThrow('Failed to launch');
    expect(session.snapshot).toMatchObject({ state: 'disconnected', reason: expect.stringContaining('ENOENT') });
  });

  it('hands messages and receipts to its owner', async () => {
    const { client, messages, acks } = await readySession();
    const message = wwebjsFixture('wwebjs-message.json');
    client.emit('message', message);
    client.emit('message_ack', wwebjsFixture('wwebjs-sent-message.json'), 3);
    expect(messages).toEqual([message]);
    expect(acks).toEqual([[wwebjsFixture('wwebjs-sent-message.json'), 3]]);
  });

  it('destroys the client on stop and hears nothing after', async () => {
    const { client, session, states, messages } = await readySession();
    await session.stop();
    await session.stop();
    expect(client.destroyed).toBe(1);
    expect(session.isStopped).toBe(true);
    client.emit('message', wwebjsFixture('wwebjs-message.json'));
    client.emit('disconnected', 'LOGOUT');
    expect(messages).toEqual([]);
    expect(states[states.length - 1]).toBe('ready');
    expect(client.listenerCount('message')).toBe(0);
  });
});

describe('WwebjsSession send', () => {
  let server: Server;
  let base: string;
  let labelFetches = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/files/label.pdf') {
        labelFetches++;
        res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': PDF.length });
        res.end(PDF);
      } else if (req.url === '/files/broken') {
        res.writeHead(503).end();
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends WhatsApp-markup text to the chat id and answers the message id', async () => {
    const { client, session } = await readySession();
    const result = await session.send(outbound({ text: 'Your *order* ships _today_\n\n1. Track it\n2. Talk to us', format: 'whatsapp' }));
    expect(client.sends).toEqual([{ chatId: JANA, content: 'Your *order* ships _today_\n\n1. Track it\n2. Talk to us', options: { parseVCards: false } }]);
    expect(result.externalId).toMatch(/^true_4915112345678@c\.us_3EB0/);
    expect(session.sentRecently(result.externalId)).toBe(true);
  });

  it('splits long text and answers the first id', async () => {
    const { client, session } = await readySession({ maxTextLength: 12 });
    const result = await session.send(outbound({ text: 'first part second part' }));
    expect(client.sends.map((s) => s.content)).toEqual(['first part', 'second part']);
    expect(result.externalId).toBe(`true_${JANA}_3EB00000000000000001`);
  });

  it('resumes after the parts WhatsApp Web accepted: part 2 of 3 failing sends only parts 2 and 3 again', async () => {
    const { client, session } = await readySession({ maxTextLength: 12 });
    const rendered = { text: 'first part second part', attachments: [{ url: `${base}/files/label.pdf`, contentType: 'application/pdf', name: 'label.pdf' }] };
    const recorded: Array<[number, string]> = [];
    const onPartSent = async (index: number, externalId: string) => void recorded.push([index, externalId]);
    const accept = client.answer;
    client.answer = (send) => {
      if (client.sends.length === 2) throw new Error('Protocol error (Runtime.callFunctionOn): Target closed.');
      return accept(send);
    };
    labelFetches = 0;

    expect(await failure(session.send({ ...outbound(rendered), onPartSent }))).toMatchObject({ errorClass: 'temporary', message: expect.stringMatching(/^Part 2 of 3: WhatsApp Web send failed/) });
    expect(recorded).toHaveLength(1);
    const result = await session.send({ ...outbound(rendered), sentParts: recorded.map(([, id]) => id), onPartSent });
    expect(client.sends.map((send) => (typeof send.content === 'string' ? send.content : 'media'))).toEqual(['first part', 'second part', 'second part', 'media']);
    expect(result.externalId).toBe(recorded[0]![1]);
    expect(recorded.map(([index]) => index)).toEqual([0, 1, 2]);

    // Delivered in full: nothing is fetched or sent again.
    labelFetches = 0;
    await session.send({ ...outbound(rendered), sentParts: recorded.map(([, id]) => id) });
    expect(client.sends).toHaveLength(4);
    expect(labelFetches).toBe(0);
  });

  it('downloads attachments into a MessageMedia and sends them after the text', async () => {
    const { client, session } = await readySession();
    await session.send(outbound({ text: 'Your label', attachments: [{ url: `${base}/files/label.pdf`, contentType: 'application/pdf', name: 'return-label.pdf' }] }));
    expect(client.sends).toHaveLength(2);
    const media = client.sends[1]!.content;
    expect(media).toBeInstanceOf(MessageMedia);
    expect(media).toMatchObject({ mimetype: 'application/pdf', data: PDF.toString('base64'), filename: 'return-label.pdf', filesize: PDF.length });
  });

  it('sends nothing when an attachment cannot be fetched: 4xx fails, 5xx and network errors retry', async () => {
    const { client, session } = await readySession();
    const missing = await failure(session.send(outbound({ text: 'x', attachments: [{ url: `${base}/files/gone.pdf`, contentType: 'application/pdf' }] })));
    expect(missing).toMatchObject({ errorClass: 'permanent', message: expect.stringContaining('404') });
    const broken = await failure(session.send(outbound({ text: 'x', attachments: [{ url: `${base}/files/broken`, contentType: 'application/pdf' }] })));
    expect(broken).toMatchObject({ errorClass: 'temporary' });
    const unreachable = await failure(session.send(outbound({ attachments: [{ url: 'http://127.0.0.1:1/x.pdf', contentType: 'application/pdf' }] })));
    expect(unreachable).toMatchObject({ errorClass: 'temporary' });
    expect(client.sends).toEqual([]);
  });

  it('is temporarily unavailable until ready, and after a disconnect that is not a logout', async () => {
    const client = new FakeWwebjsClient({});
    const session = new WwebjsSession(CHANNEL, client, recordingHooks().hooks);
    await session.start();
    client.emit('qr', '2@abc');
    expect(await failure(session.send(outbound({ text: 'hi' })))).toEqual(new ProviderError('temporary', 'WhatsApp Web session not ready (qr)'));
    client.emit('ready');
    client.emit('disconnected', 'CONFLICT');
    expect(await failure(session.send(outbound({ text: 'hi' })))).toMatchObject({ errorClass: 'temporary' });
    await session.stop();
    expect(await failure(session.send(outbound({ text: 'hi' })))).toMatchObject({ errorClass: 'temporary', message: expect.stringContaining('stopped') });
    expect(client.sends).toEqual([]);
  });

  it.each([
    ['disconnected', 'LOGOUT'],
    ['disconnected', 'UNPAIRED'],
    ['auth_failure', 'restore failed'],
  ])('reports auth_revoked after %s (%s)', async (event, reason) => {
    const { client, session } = await readySession();
    client.emit(event, reason);
    expect(await failure(session.send(outbound({ text: 'hi' })))).toMatchObject({ errorClass: 'auth_revoked', message: expect.stringContaining(reason) });
  });

  it('classifies recipients and library failures', async () => {
    const { client, session } = await readySession();
    expect(await failure(session.send(outbound({ text: 'hi' }, '+4915112345678')))).toMatchObject({ errorClass: 'invalid_recipient' });
    expect(await failure(session.send(outbound({ text: '  ' })))).toMatchObject({ errorClass: 'permanent' });
    client.answer = () => undefined;
    expect(await failure(session.send(outbound({ text: 'hi' })))).toMatchObject({ errorClass: 'invalid_recipient' });
    client.answer = () => {
      throw new Error('Protocol error (Runtime.callFunctionOn): Session closed.');
    };
    expect(await failure(session.send(outbound({ text: 'hi' })))).toMatchObject({ errorClass: 'temporary', message: expect.stringContaining('Session closed') });
  });
});
