import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getDataSourceToken } from '@nestjs/typeorm';
import { expect } from 'expect';
import type { DataSource } from 'typeorm';
import { LocalAuth, MessageMedia } from 'whatsapp-web.js';
import { wwebjsFixture } from '../channels/whatsapp/web/wwebjs.fixtures';
import { WWEBJS_CLIENT_FACTORY } from '../src/wwebjs/wwebjs-client.factory';
import { FakeWwebjsClients, type FakeWwebjsClient } from './fakes/wwebjs-client.fake';
import { AgentSocket, type ReceivedEvent } from './support/agent-socket';
import { waitFor } from './support/byoc-integrator';
import { adminWithSkill, countRows, messageOf, messagesOf, settled, type Admin } from './support/channel-helpers';
import { dropDatabase, PLATFORM_TOKEN, startApp, type TestApp } from './support/test-app';

// Issue 5, WhatsApp through whatsapp-web.js end to end. The library's Client is replaced at its
// boundary (the client factory token) by an EventEmitter: the suite plays WhatsApp Web by
// emitting the library's events with recorded Message objects, and no Chromium runs.
const CHROMIUM = '/opt/parley/chromium';
const JANA = '4915112345678@c.us';
const QR = '2@Jd8aVbq1Z2x3C4v5B6n7M8,AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd=,QrStUvWxYz0123456789AbCd=,EfGhIjKlMnOp==';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('WhatsApp channel through whatsapp-web.js', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  let supervisorToken: string;
  let otherTenantToken: string;
  let adminSocket: AgentSocket;
  let agentSocket: AgentSocket;
  const clients = new FakeWwebjsClients();
  const adminNotices: ReceivedEvent[] = [];
  const agentNotices: ReceivedEvent[] = [];
  let n = 0;
  let stopped = false;
  // Jana's case, opened by the first inbound message.
  let janaCase: string;

  const env = { WWEBJS_ENABLED: 'true', CHROMIUM_PATH: CHROMIUM, OUTBOUND_MAX_ATTEMPTS: '6' };
  const session = (token = admin.token, id = channelId) => t.http.get(`/api/v1/channels/${id}/session`, token);
  const sessionIn = async (state: string) => waitFor(async () => {
    const res = await session();
    return res.body.state === state && res.body;
  }, 10_000, `session ${state}`);
  const channel = async () => (await t.http.get(`/api/v1/channels/${channelId}`, admin.token)).body;
  // A recorded Message, as a new one from `from` sent `ageSeconds` ago.
  const incoming = (overrides: Record<string, unknown> = {}, ageSeconds = 0, from = JANA) => {
    const message = wwebjsFixture('wwebjs-chat-message.json');
    const id = `3EB0E2E${String(++n).padStart(13, '0')}`;
    return { ...message, id: { ...message.id, remote: from, id, _serialized: `false_${from}_${id}` }, from, timestamp: Math.floor(Date.now() / 1000) - ageSeconds, ...overrides };
  };
  // The library's message_ack: the Message we sent, with its new ack.
  const ack = (client: FakeWwebjsClient, externalId: string, value: number) => {
    const message = wwebjsFixture('wwebjs-sent-message.json');
    client.emit('message_ack', { ...message, id: { ...message.id, _serialized: externalId } }, value);
  };
  const caseOf = async (text: string) =>
    waitFor(async () => (await t.http.get(`/api/v1/cases?q=${encodeURIComponent(text)}`, admin.token)).body.items[0]?.id as string | undefined, 10_000, `case with "${text}"`);
  const reply = (caseId: string, content: unknown) => t.http.post(`/api/v1/cases/${caseId}/messages`, { content }, admin.token);
  const ready = async (client: FakeWwebjsClient) => {
    client.pair(QR);
    await sessionIn('ready');
  };

  before(async () => {
    t = await startApp({ env, overrides: [{ provide: WWEBJS_CLIENT_FACTORY, useValue: clients.factory }] });
    admin = await adminWithSkill(t);
    await t.http.post('/api/v1/users', { email: 'sup@test.local', name: 'Sup', password: 'sup-password', role: 'supervisor' }, admin.token);
    await t.http.post('/api/v1/users', { email: 'agent@test.local', name: 'Agent', password: 'agent-password', role: 'agent', skillIds: [admin.skillId] }, admin.token);
    supervisorToken = await t.http.login('sup@test.local', 'sup-password');
    await t.http.post('/api/v1/tenants', { name: 'Other', admin: { email: 'o@o.test', password: 'other-password', name: 'O' } }, PLATFORM_TOKEN);
    otherTenantToken = await t.http.login('o@o.test', 'other-password');

    adminSocket = new AgentSocket(t.url, admin.token);
    agentSocket = new AgentSocket(t.url, await t.http.login('agent@test.local', 'agent-password'));
    adminSocket.socket.on('channel.session', (e: ReceivedEvent) => adminNotices.push(e));
    agentSocket.socket.on('channel.session', (e: ReceivedEvent) => agentNotices.push(e));
    await Promise.all([adminSocket.connected(), agentSocket.connected()]);
  });
  after(async () => {
    adminSocket?.close();
    agentSocket?.close();
    if (!stopped) await t.stop();
  });

  it('starts a session when the channel is created: LocalAuth under DATA_DIR, the configured Chromium, no sandbox', async () => {
    const created = await t.http.post('/api/v1/channels', { type: 'whatsapp', name: 'WhatsApp Web', defaultSkillId: admin.skillId, config: { provider: 'web' } }, admin.token);
    expect(created.status).toBe(201);
    channelId = created.body.id;
    const client = await waitFor(() => clients.created[0]?.initialized === 1 && clients.created[0], 10_000, 'client initialised');
    expect(clients.created).toHaveLength(1);
    expect(client.options.authStrategy).toBeInstanceOf(LocalAuth);
    expect(client.options.authStrategy).toMatchObject({ clientId: channelId, dataPath: join(t.dataDir, 'wwebjs') });
    expect(client.options.puppeteer).toMatchObject({ headless: true, executablePath: CHROMIUM, args: expect.arrayContaining(['--no-sandbox']) });
    expect((await session()).body).toEqual({ channelId, state: 'starting', qr: null, qrDataUrl: null, updatedAt: expect.any(String) });
  });

  it('shows the QR code to admins, over HTTP and on the socket, as a PNG data URL', async () => {
    clients.last().emit('qr', QR);
    const shown = await sessionIn('qr');
    expect(shown).toEqual({ channelId, state: 'qr', qr: QR, qrDataUrl: expect.stringMatching(/^data:image\/png;base64,/), updatedAt: expect.any(String) });
    expect(Buffer.from(shown.qrDataUrl.split(',')[1], 'base64').subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const notice = await waitFor(() => adminNotices.find((e) => e.data.state === 'qr'), 5000, 'channel.session qr');
    expect(notice).toEqual({ type: 'channel.session', data: shown, at: expect.any(String) });
  });

  it('serves the session to this tenant\'s admins only, and only for whatsapp-web.js channels', async () => {
    expect((await session(supervisorToken)).status).toBe(403);
    expect((await session(otherTenantToken)).status).toBe(404);
    const cloud = await t.http.post(
      '/api/v1/channels',
      { type: 'whatsapp', name: 'Cloud', defaultSkillId: admin.skillId, config: { provider: 'cloud', phoneNumberId: '106540352242922', accessToken: 'a-token', appSecret: 'a-secret', verifyToken: 'v-token' } },
      admin.token,
    );
    expect((await session(admin.token, cloud.body.id)).status).toBe(404);
    expect((await t.http.post(`/webhooks/${channelId}`, { any: 'thing' })).status).toBe(400);
    // Agents are not told about pairing.
    expect(agentNotices).toEqual([]);
    expect(clients.created).toHaveLength(1);
  });

  it('becomes ready once the phone scanned the code', async () => {
    const client = clients.last();
    client.emit('authenticated');
    client.emit('ready');
    expect(await sessionIn('ready')).toMatchObject({ qr: null, qrDataUrl: null });
    await waitFor(() => adminNotices.some((e) => e.data.state === 'ready'), 5000, 'channel.session ready');
    expect(adminNotices.map((e) => e.data.state)).toEqual(['starting', 'qr', 'authenticated', 'ready']);
  });

  it('stores an incoming message once, from the chat id, with the sender name and number', async () => {
    const client = clients.last();
    const message = incoming({ body: 'Hi, this is *Jana*. Where is order #98765?' });
    client.emit('message', message);
    client.emit('message', message);
    // Groups and status updates are not conversations with a customer.
    client.emit('message', { ...wwebjsFixture('wwebjs-group-message.json'), timestamp: Math.floor(Date.now() / 1000) });
    client.emit('message', { ...wwebjsFixture('wwebjs-status-message.json'), timestamp: Math.floor(Date.now() / 1000) });
    client.emit('message', incoming({ body: 'Any news?' }));
    const caseId = await caseOf('Any news?');
    janaCase = caseId;
    const cases = (await t.http.get('/api/v1/cases?channelType=whatsapp', admin.token)).body.items;
    expect(cases).toHaveLength(1);
    expect(cases[0].contact).toMatchObject({ name: 'Jana Müller', identities: [{ channelType: 'whatsapp', address: JANA }] });
    expect((await messagesOf(t, admin.token, caseId)).map((m) => m.content)).toEqual([{ text: 'Hi, this is *Jana*. Where is order #98765?' }, { text: 'Any news?' }]);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE provider_message_id = $1', [message.id._serialized])).toBe(1);
    expect(await countRows(t, "SELECT count(*)::int AS n FROM contacts WHERE phone = '+4915112345678'")).toBe(1);
  });

  it('replies in WhatsApp markup with options as numbered text, records the message id, and applies receipts', async () => {
    const client = clients.last();
    const caseId = janaCase;
    const sent = await reply(caseId, {
      text: 'Your **order** ships _today_.',
      format: 'markdown',
      buttons: [
        { title: 'Track it', payload: 'track' },
        { title: 'Talk to us', payload: 'agent' },
      ],
    });
    expect(sent.status).toBe(201);
    const settledMessage = await settled(t, admin.token, caseId, sent.body.id);
    expect(client.sends).toEqual([{ chatId: JANA, content: 'Your *order* ships _today_.\n\n1. Track it\n2. Talk to us', options: { parseVCards: false } }]);
    // The id of the Message sendMessage() answered (the fake numbers them).
    const externalId = `true_${JANA}_3EB00000000000000001`;
    expect(settledMessage).toMatchObject({ status: 'sent', externalId });

    ack(client, externalId, 2);
    await waitFor(async () => (await messageOf(t, admin.token, caseId, sent.body.id)).status === 'delivered', 10_000, 'delivered');
    ack(client, externalId, 3);
    await waitFor(async () => (await messageOf(t, admin.token, caseId, sent.body.id)).status === 'read', 10_000, 'read');
    // Receipts only move forward.
    ack(client, externalId, 1);
    client.emit('message', incoming({ body: '2' }));
    await waitFor(async () => (await messagesOf(t, admin.token, caseId)).length === 4, 10_000, 'typed answer');
    expect((await messageOf(t, admin.token, caseId, sent.body.id)).status).toBe('read');
    // The typed number answers the numbered option like a button press.
    expect((await messagesOf(t, admin.token, caseId))[3].content).toEqual({ text: '2', postback: { payload: 'agent', title: 'Talk to us' } });
  });

  it('keeps incoming media in Parley storage, sends attachments as MessageMedia, and falls back to a placeholder', async () => {
    const client = clients.last();
    const photo = Buffer.from('\xff\xd8\xff\xe0 fake jpeg bytes', 'latin1');
    const image = wwebjsFixture('wwebjs-image-message.json');
    client.emit('message', {
      ...image,
      id: { ...image.id, _serialized: `false_${JANA}_3EB0MEDIA0000000001` },
      timestamp: Math.floor(Date.now() / 1000),
      downloadMedia: async () => new MessageMedia('image/jpeg', photo.toString('base64'), 'box.jpg', photo.length),
    });
    const document = wwebjsFixture('wwebjs-document-message.json');
    client.emit('message', {
      ...document,
      id: { ...document.id, _serialized: `false_${JANA}_3EB0MEDIA0000000002` },
      timestamp: Math.floor(Date.now() / 1000),
      downloadMedia: async () => Promise.reject(new Error('Evaluation failed: media expired')),
    });
    const [withImage, withDocument] = await waitFor(async () => {
      const items = await messagesOf(t, admin.token, janaCase);
      return items.length >= 6 && items.slice(-2);
    }, 10_000, 'media messages');
    expect(withImage.content).toEqual({ text: 'Damaged box', attachments: [{ url: expect.stringMatching(/\/media\/[0-9a-f-]{36}\/[\w-]+$/), contentType: 'image/jpeg', name: 'box.jpg' }] });
    const stored = await fetch(withImage.content.attachments[0].url);
    expect(Buffer.from(await stored.arrayBuffer())).toEqual(photo);
    expect(withDocument.content).toEqual({ text: '[Document: invoice-98765.pdf]' });

    const back = await reply(janaCase, { text: 'Is this the one?', attachments: [withImage.content.attachments[0]] });
    expect(await settled(t, admin.token, janaCase, back.body.id)).toMatchObject({ status: 'sent' });
    const [text, media] = client.sends.slice(-2);
    expect(text).toMatchObject({ chatId: JANA, content: 'Is this the one?' });
    expect(media!.chatId).toBe(JANA);
    expect(media!.content).toBeInstanceOf(MessageMedia);
    expect(media!.content).toMatchObject({ mimetype: 'image/jpeg', data: photo.toString('base64'), filename: 'box.jpg' });
  });

  it('applies the 24-hour window from the WhatsApp timestamp', async () => {
    clients.last().emit('message', incoming({ body: 'an old question' }, 25 * 3600, '4915100000001@c.us'));
    const caseId = await caseOf('an old question');
    const refused = await reply(caseId, { text: 'Sorry for the delay' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('WINDOW_CLOSED');
  });

  it('applies a receipt that overtakes the commit of its own send', async () => {
    const client = clients.last();
    const original = client.answer;
    client.answer = (send) => {
      const message = original(send) as { id: { _serialized: string } };
      // WhatsApp Web reports delivery before the outbound worker has recorded the id.
      ack(client, message.id._serialized, 2);
      return message;
    };
    try {
      const sent = await reply(janaCase, { text: 'Quick one' });
      await settled(t, admin.token, janaCase, sent.body.id);
      await waitFor(async () => (await messageOf(t, admin.token, janaCase, sent.body.id)).status === 'delivered', 10_000, 'early receipt applied');
    } finally {
      client.answer = original;
    }
  });

  it('restarts on request with a new browser, and holds replies until the session is ready', async () => {
    const first = clients.last();
    const restarted = await t.http.post(`/api/v1/channels/${channelId}/session/restart`, {}, admin.token);
    expect(restarted.status).toBe(200);
    expect(restarted.body).toMatchObject({ channelId, state: 'starting' });
    expect(first.destroyed).toBe(1);
    const second = clients.last();
    expect(second).not.toBe(first);
    expect(second.initialized).toBe(1);

    const caseId = janaCase;
    const queued = await reply(caseId, { text: 'Still there?' });
    await waitFor(() => countRows(t, "SELECT count(*)::int AS n FROM outbound_jobs WHERE last_error LIKE '%not ready%'").then((c) => c > 0), 10_000, 'a retry while starting');
    expect((await messageOf(t, admin.token, caseId, queued.body.id)).status).toBe('queued');
    await ready(second);
    expect(await settled(t, admin.token, caseId, queued.body.id, 20_000)).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^true_/) });
    expect(second.sends.map((s) => s.content)).toEqual(['Still there?']);
  });

  it('marks the channel as needing attention when the phone logs out, and fails replies until a new scan', async () => {
    const client = clients.last();
    client.emit('disconnected', 'LOGOUT');
    expect(await sessionIn('disconnected')).toMatchObject({ qr: null });
    await waitFor(async () => (await channel()).health === 'needs_attention', 10_000, 'needs attention');
    expect((await channel()).healthReason).toBe('WhatsApp Web session disconnected (LOGOUT)');
    await waitFor(() => adminNotices.some((e) => e.data.state === 'disconnected'), 5000, 'channel.session disconnected');

    const caseId = janaCase;
    const refused = await reply(caseId, { text: 'Hello?' });
    expect(await settled(t, admin.token, caseId, refused.body.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('logged out') });

    // The library shows a new QR code after a logout; a new scan makes the channel healthy again.
    await ready(client);
    await waitFor(async () => (await channel()).health === 'ok', 10_000, 'healthy again');
    expect((await channel()).healthReason).toBeNull();
  });

  it('marks the channel on an authentication failure', async () => {
    clients.last().emit('auth_failure', 'Unable to restore the session');
    await sessionIn('auth_failure');
    await waitFor(async () => (await channel()).healthReason === 'WhatsApp Web authentication failed (Unable to restore the session): scan a new QR code', 10_000, 'auth failure health');
    await ready(clients.last());
  });

  it('destroys the client when the channel is disabled, and starts a new one when it is enabled again', async () => {
    const client = clients.last();
    const count = clients.created.length;
    expect((await t.http.patch(`/api/v1/channels/${channelId}`, { enabled: false }, admin.token)).status).toBe(200);
    await waitFor(() => client.destroyed === 1, 10_000, 'client destroyed');
    expect(await sessionIn('disconnected')).toMatchObject({ qr: null, qrDataUrl: null });
    // A disabled channel's session hears nothing and is not restarted.
    expect((await t.http.post(`/api/v1/channels/${channelId}/session/restart`, {}, admin.token)).status).toBe(409);
    expect(clients.created).toHaveLength(count);

    expect((await t.http.patch(`/api/v1/channels/${channelId}`, { enabled: true }, admin.token)).status).toBe(200);
    const next = await waitFor(() => clients.created.length === count + 1 && clients.last().initialized === 1 && clients.last(), 10_000, 'new client');
    await ready(next);
  });

  it('destroys the client when the channel is deleted', async () => {
    const other = await t.http.post('/api/v1/channels', { type: 'whatsapp', name: 'Second number', defaultSkillId: admin.skillId, config: { provider: 'web' } }, admin.token);
    const client = await waitFor(() => clients.created.find((c) => c.options.authStrategy instanceof LocalAuth && (c.options.authStrategy as LocalAuth).clientId === other.body.id), 10_000, 'second client');
    expect((await t.http.delete(`/api/v1/channels/${other.body.id}`, admin.token)).status).toBe(204);
    await waitFor(() => client.destroyed === 1, 10_000, 'deleted channel client destroyed');
    expect((await session(admin.token, other.body.id)).status).toBe(404);
  });

  it('closes every session at shutdown and starts the enabled ones at the next start', async () => {
    const live = clients.last();
    const databaseUrl = (t.app.get<DataSource>(getDataSourceToken()).options as { url?: string }).url;
    await t.stop({ keepData: true });
    stopped = true;
    expect(live.destroyed).toBe(1);

    const again = new FakeWwebjsClients();
    const second = await startApp({ dataDir: t.dataDir, databaseUrl, env, overrides: [{ provide: WWEBJS_CLIENT_FACTORY, useValue: again.factory }] });
    try {
      const client = await waitFor(() => again.created[0]?.initialized === 1 && again.created[0], 10_000, 'session started at boot');
      expect(again.created).toHaveLength(1);
      expect(client.options.authStrategy).toMatchObject({ clientId: channelId, dataPath: join(t.dataDir, 'wwebjs') });
    } finally {
      await second.stop({ keepData: true });
    }
    expect(again.created[0]!.destroyed).toBe(1);

    // Without WWEBJS_ENABLED nothing starts, and the session API says why.
    const off = await startApp({ dataDir: t.dataDir, databaseUrl, env: { WWEBJS_ENABLED: 'false' }, overrides: [{ provide: WWEBJS_CLIENT_FACTORY, useValue: again.factory }] });
    try {
      const token = await off.http.login();
      const res = await off.http.get(`/api/v1/channels/${channelId}/session`, token);
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('WWEBJS_ENABLED');
      expect(again.created).toHaveLength(1);
    } finally {
      await off.stop();
      rmSync(t.dataDir, { recursive: true, force: true });
      if (databaseUrl) await dropDatabase(databaseUrl);
    }
  });
});
