import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { AgentSocket } from './support/agent-socket';
import { waitFor } from './support/byoc-integrator';
import { adminWithSkill, countRows, messagesOf, settled, type Admin } from './support/channel-helpers';
import { ChatVisitor, connectError } from './support/chat-visitor';
import { startApp, type TestApp } from './support/test-app';

// Issue 8, web chat (API.md §9) over real HTTP and socket.io, no browser: visitor sessions, the
// /chat namespace, dedupe of resends, rich replies delivered natively, postbacks, history,
// typing, allowedOrigins and uploads. The widget itself is tested in test/browser.
const SHOP = 'https://shop.example.com';

describe('Web chat channel', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  let guardedChannelId: string;
  let agentToken: string;
  let n = 0;
  const id = () => `c-${++n}`;
  const reply = (caseId: string, content: unknown, internal = false) => t.http.post(`/api/v1/cases/${caseId}/messages`, { content, internal }, admin.token);
  const chatChannel = async (name: string, config: Record<string, unknown> = {}) => {
    const res = await t.http.post('/api/v1/channels', { type: 'chat', name, defaultSkillId: admin.skillId, config }, admin.token);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  before(async () => {
    t = await startApp({ env: { CHAT_UPLOAD_MAX_BYTES: '2048', CHAT_UPLOAD_TYPES: 'image/png,application/pdf' } });
    admin = await adminWithSkill(t);
    await t.http.post('/api/v1/users', { email: 'ines@t.local', name: 'Inés', password: 'agent-password', role: 'agent', skillIds: [admin.skillId] }, admin.token);
    agentToken = await t.http.login('ines@t.local', 'agent-password');
    channelId = await chatChannel('Website');
    guardedChannelId = await chatChannel('Shop', { allowedOrigins: [SHOP] });
  });
  after(async () => {
    await t.stop();
  });

  it('turns a visitor message into a case, pushed back to the visitor and to the agents', async () => {
    const agent = new AgentSocket(t.url, agentToken);
    await agent.connected();
    const visitor = await (await ChatVisitor.start(t.http, channelId, { name: 'Ana Lima', email: 'Ana@Example.com' })).connect();
    try {
      expect(visitor.history).toEqual({ items: [], nextCursor: null });
      const ack = await visitor.send('m-1', { text: 'Hola, mi pedido no llegó' });
      expect(ack).toEqual({
        duplicate: false,
        message: {
          id: expect.any(String),
          clientMessageId: 'm-1',
          direction: 'inbound',
          author: { type: 'contact', name: 'Ana Lima' },
          content: { text: 'Hola, mi pedido no llegó' },
          status: 'received',
          createdAt: expect.any(String),
        },
      });
      await waitFor(() => visitor.created.length === 1, 10_000, 'message.created to the visitor');
      expect(visitor.created[0]).toEqual(ack.message);

      const created = await waitFor(() => agent.of('message.created').find((e) => e.data.message.id === ack.message.id), 10_000, 'message.created to the agent');
      const caseId = created.data.caseId;
      expect(agent.of('case.created').map((e) => e.data.id)).toContain(caseId);
      const kase = await t.http.get(`/api/v1/cases/${caseId}`, admin.token);
      expect(kase.body).toMatchObject({ channelId, channelType: 'chat', status: 'new', contact: { name: 'Ana Lima', identities: [{ channelType: 'chat', address: expect.any(String) }] } });
      // The unverified email is kept (agents find the case by it) without merging anyone.
      const found = await t.http.get('/api/v1/cases?q=ana@example.com', admin.token);
      expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    } finally {
      visitor.disconnect();
      agent.close();
    }
  });

  it('names an anonymous visitor’s contact "Web chat visitor #…" (stable across cases), an email-only one by the email', async () => {
    const anonymous = await (await ChatVisitor.start(t.http, channelId)).connect();
    const first = await anonymous.send('a-1', { text: 'Anyone there?' });
    // The case whose last message is `text`.
    const caseOf = (text: string) =>
      waitFor(async () => (await t.http.get(`/api/v1/cases?q=${encodeURIComponent(text)}`, admin.token)).body.items.find((c: any) => c.lastMessagePreview === text), 10_000, 'case');
    const kase = await caseOf('Anyone there?');
    const address: string = kase.contact.identities[0].address;
    const label = `Web chat visitor #${address.replace(/-/g, '').slice(0, 6).toUpperCase()}`;
    expect(kase.contact).toMatchObject({ name: label, identities: [{ channelType: 'chat', address }] });
    // The visitor's own messages carry the same name back.
    expect(first.message.author).toEqual({ type: 'contact', name: label });
    // Agents find the case by it.
    expect((await t.http.get(`/api/v1/cases?q=${encodeURIComponent(label)}`, admin.token)).body.items.map((c: any) => c.id)).toEqual([kase.id]);

    // Their next case is the same contact, with the same name.
    expect((await t.http.patch(`/api/v1/cases/${kase.id}`, { status: 'closed' }, admin.token)).status).toBe(200);
    await anonymous.send('a-2', { text: 'Anyone there, again?' });
    const next = await caseOf('Anyone there, again?');
    expect(next.id).not.toBe(kase.id);
    expect(next.contact).toEqual(kase.contact);
    anonymous.disconnect();

    const emailOnly = await (await ChatVisitor.start(t.http, channelId, { email: 'Solo@Example.com' })).connect();
    expect((await emailOnly.send('e-1', { text: 'Email only here' })).message.author).toEqual({ type: 'contact', name: 'solo@example.com' });
    emailOnly.disconnect();
  });

  it('stores a resent clientMessageId once: after a reconnect, and when sent twice at once', async () => {
    const visitor = await (await ChatVisitor.start(t.http, channelId)).connect();
    const first = await visitor.send('same-1', { text: 'Are you there?' });
    visitor.disconnect();
    await visitor.connect();
    const resent = await visitor.send('same-1', { text: 'Are you there?' });
    expect(resent).toEqual({ duplicate: true, message: first.message });
    // The sender hears of it again (it may have missed the first push), as the same message.
    await waitFor(() => visitor.created.filter((m) => m.id === first.message.id).length === 2, 10_000, 'the resend pushed');
    const racing = await Promise.all([visitor.send('same-2', { text: 'twice' }), visitor.send('same-2', { text: 'twice' })]);
    expect(racing[0].message.id).toBe(racing[1].message.id);
    expect(racing.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(await countRows(t, "SELECT count(*)::int AS n FROM messages WHERE provider_message_id LIKE '%:same-%'")).toBe(2);
    // Another visitor may use the same clientMessageId: it is theirs.
    const other = await (await ChatVisitor.start(t.http, channelId)).connect();
    expect((await other.send('same-1', { text: 'mine' })).duplicate).toBe(false);
    visitor.disconnect();
    other.disconnect();
  });

  it('refuses a bad visitor token with connect_error "unauthorized"', async () => {
    const visitor = await ChatVisitor.start(t.http, channelId);
    const [header, payload] = visitor.token.split('.');
    for (const token of [undefined, '', 'garbage', `${header}.${payload}.forged-signature`, agentToken]) {
      expect({ token, error: await connectError(t.url, token) }).toEqual({ token, error: 'unauthorized' });
    }
    // Nor does a visitor token open the agent API or the /agents namespace.
    expect((await t.http.get('/api/v1/cases', visitor.token)).status).toBe(401);
    const asAgent = new AgentSocket(t.url, visitor.token);
    await expect(asAgent.connected()).rejects.toThrow('unauthorized');
    asAgent.close();
    expect((await t.http.get(`/api/v1/chat/${channelId}/messages`, 'garbage')).body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    // A token is bound to its channel.
    expect((await t.http.get(`/api/v1/chat/${guardedChannelId}/messages`, visitor.token)).status).toBe(401);
  });

  it('answers 404 for an unknown, non-chat or disabled channel, and refuses its sockets', async () => {
    expect((await t.http.post('/api/v1/chat/00000000-0000-4000-8000-000000000000/sessions', {})).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await t.http.post('/api/v1/chat/not-a-uuid/sessions', {})).status).toBe(404);
    const byoc = await t.http.post('/api/v1/channels', { type: 'byoc', name: 'B', defaultSkillId: admin.skillId, config: { callbackUrl: 'https://example.com/cb' } }, admin.token);
    expect((await t.http.post(`/api/v1/chat/${byoc.body.id}/sessions`, {})).status).toBe(404);
    const disabled = await chatChannel('Disabled');
    const visitor = await ChatVisitor.start(t.http, disabled);
    await t.http.patch(`/api/v1/channels/${disabled}`, { enabled: false }, admin.token);
    await waitFor(async () => (await t.http.post(`/api/v1/chat/${disabled}/sessions`, {})).status === 404, 10_000, 'disabled channel refused');
    expect(await connectError(t.url, visitor.token)).toBe('not_found');
    // Chat channels receive no webhooks.
    expect((await t.http.post(`/webhooks/${channelId}`, { text: 'hi' })).status).toBe(404);
  });

  it('validates sessions and what a visitor may send', async () => {
    expect((await t.http.post(`/api/v1/chat/${channelId}/sessions`, { email: 'not-an-email' })).body).toMatchObject({ statusCode: 400, details: [{ field: 'email' }] });
    expect((await t.http.post(`/api/v1/chat/${channelId}/sessions`, { name: 'x', admin: true })).status).toBe(400);
    const visitor = await (await ChatVisitor.start(t.http, channelId)).connect();
    const before = await countRows(t, 'SELECT count(*)::int AS n FROM messages');
    const refused = [
      [{ content: { text: 'no id' } }, 'clientMessageId'],
      [{ clientMessageId: 'v-1', content: {} }, 'content'],
      [{ clientMessageId: 'v-2', content: { text: 'x', buttons: [{ title: 'Pay', url: 'https://evil.example/pay' }] } }, 'content.buttons'],
      [{ clientMessageId: 'v-3', content: { attachments: [{ url: 'https://evil.example/a.png', contentType: 'image/png' }] } }, 'content.attachments.0.url'],
      [{ clientMessageId: 'v-4', content: { text: '<b>x</b>', format: 'html' } }, 'content.format'],
    ] as const;
    for (const [body, field] of refused) {
      const ack = await visitor.emit('message.send', body);
      expect({ field, ack }).toMatchObject({ field, ack: { error: { statusCode: 400, details: [{ field }] } } });
    }
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages')).toBe(before);
    visitor.disconnect();
  });

  it('limits how fast one connection may send', async () => {
    const visitor = await (await ChatVisitor.start(t.http, channelId, { name: 'Flood' })).connect();
    const acks = [];
    for (let i = 0; i < 31; i++) acks.push(await visitor.send(`f-${i}`, { text: `spam ${i}` }));
    expect(acks.slice(0, 30).every((ack) => ack.message)).toBe(true);
    expect(acks[30]).toMatchObject({ error: { statusCode: 429, code: 'RATE_LIMITED' } });
    expect(await countRows(t, "SELECT count(*)::int AS n FROM messages WHERE provider_message_id LIKE '%:f-%'")).toBe(30);
    visitor.disconnect();
  });

  it('enforces allowedOrigins on sessions, visitor routes and sockets', async () => {
    const sessions = `/api/v1/chat/${guardedChannelId}/sessions`;
    expect((await t.http.post(sessions, {})).body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect((await t.http.post(sessions, {}, undefined, { origin: 'https://evil.example.com' })).status).toBe(403);
    expect((await t.http.post(sessions, {}, undefined, { origin: 'http://shop.example.com' })).status).toBe(403);
    const allowed = await t.http.post(sessions, {}, undefined, { origin: SHOP });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);

    // The browser's preflight is answered for any origin; the request itself is what is refused.
    const preflight = await t.http.request('OPTIONS', sessions, { headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');

    const token = allowed.body.visitorToken;
    expect(await connectError(t.url, token, 'https://evil.example.com')).toBe('forbidden');
    expect(await connectError(t.url, token)).toBe('forbidden');
    const visitor = await new ChatVisitor(t.url, token, SHOP).connect();
    expect((await visitor.send('o-1', { text: 'from the shop' })).duplicate).toBe(false);
    visitor.disconnect();
    const history = (origin?: string) => t.http.request('GET', `/api/v1/chat/${guardedChannelId}/messages`, { token, headers: origin ? { origin } : {} });
    expect((await history('https://evil.example.com')).status).toBe(403);
    expect((await history(SHOP)).body.items).toHaveLength(1);

    // Emptying the list opens the channel to any origin again.
    await t.http.patch(`/api/v1/channels/${guardedChannelId}`, { config: { allowedOrigins: [] } }, admin.token);
    await waitFor(async () => (await t.http.post(sessions, {}, undefined, { origin: 'https://elsewhere.example' })).status === 201, 10_000, 'any origin allowed');
    await t.http.patch(`/api/v1/channels/${guardedChannelId}`, { config: { allowedOrigins: [SHOP] } }, admin.token);
  });

  it('delivers every rich element of an agent reply natively, and takes the widget’s receipts', async () => {
    const visitor = await (await ChatVisitor.start(t.http, channelId, { name: 'Rich' })).connect();
    const first = await visitor.send('r-1', { text: 'Show me options' });
    const caseId = (await waitFor(async () => (await t.http.get(`/api/v1/cases?q=Rich`, admin.token)).body.items[0], 10_000, 'case')).id;
    const content = {
      text: 'Here you go: **pick one**',
      format: 'markdown',
      buttons: [{ title: 'Track order', payload: 'TRACK' }, { title: 'Help centre', url: 'https://help.example.com' }],
      quickReplies: [{ title: 'Yes', payload: 'YES' }, { title: 'No', payload: 'NO' }],
      cards: [{ title: 'Blue shoes', subtitle: '€45', imageUrl: 'https://shop.example.com/blue.png', buttons: [{ title: 'Buy', payload: 'BUY_BLUE' }] }],
      listPicker: { title: 'Pick a store', items: [{ title: 'Madrid', subtitle: 'Gran Vía', payload: 'MAD' }, { title: 'Lisboa', payload: 'LIS' }] },
      timePicker: { title: 'Book a call', timezone: 'Europe/Madrid', slots: [{ start: '2026-11-20T10:00:00Z', durationMinutes: 30 }] },
      richLink: { url: 'https://shop.example.com/sale', title: 'Sale' },
      adaptiveCard: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'Rate us' }],
        actions: [{ type: 'Action.Submit', title: 'Great', data: { rating: 5 } }],
      },
    };
    const sent = await reply(caseId, content);
    expect(sent.status).toBe(201);
    const pushed = await waitFor(() => visitor.created.find((m) => m.id === sent.body.id), 10_000, 'the reply pushed');
    expect(pushed).toMatchObject({ direction: 'outbound', clientMessageId: null, author: { type: 'agent', name: expect.any(String) } });
    // Nothing was degraded to text: the web chat renders every element itself.
    const { text, format, ...elements } = pushed.content;
    expect(elements).toEqual(Object.fromEntries(Object.entries(content).filter(([key]) => key !== 'text' && key !== 'format')));
    expect(text).toContain('pick one');
    expect(format).toBe('markdown');
    const stored = await settled(t, admin.token, caseId, sent.body.id);
    expect(stored).toMatchObject({ status: 'sent', externalId: sent.body.id });

    // The widget's receipts move the status forward only, and only for its own messages.
    expect(await visitor.emit('message.status', { messageId: sent.body.id, status: 'read' })).toEqual({ applied: true });
    expect(await visitor.emit('message.status', { messageId: sent.body.id, status: 'delivered' })).toEqual({ applied: false });
    expect((await visitor.emit('message.status', { messageId: first.message.id, status: 'read' })).error).toMatchObject({ statusCode: 404 });
    const stranger = await (await ChatVisitor.start(t.http, channelId)).connect();
    expect((await stranger.emit('message.status', { messageId: sent.body.id, status: 'read' })).error).toMatchObject({ statusCode: 404 });
    expect(stranger.created.find((m) => m.id === sent.body.id)).toBeUndefined();
    stranger.disconnect();
    expect((await messagesOf(t, admin.token, caseId)).find((m) => m.id === sent.body.id).status).toBe('read');
    visitor.disconnect();
  });

  it('resolves the visitor’s choices as postbacks: clicks, and typed numbers or titles', async () => {
    const visitor = await (await ChatVisitor.start(t.http, channelId, { name: 'Chooser' })).connect();
    await visitor.send('p-1', { text: 'Hi' });
    const caseId = (await waitFor(async () => (await t.http.get(`/api/v1/cases?q=Chooser`, admin.token)).body.items[0], 10_000, 'case')).id;
    const sent = await reply(caseId, { text: 'Which one?', buttons: [{ title: 'Refund', payload: 'REFUND' }, { title: 'Exchange', payload: 'EXCHANGE' }] });
    await waitFor(() => visitor.created.find((m) => m.id === sent.body.id), 10_000, 'buttons pushed');

    const click = await visitor.send('p-2', { text: 'Exchange', postback: { payload: 'EXCHANGE', title: 'Exchange' } });
    expect(click.message.content).toEqual({ text: 'Exchange', postback: { payload: 'EXCHANGE', title: 'Exchange' } });
    const typed = await visitor.send('p-3', { text: '1' });
    const messages = await messagesOf(t, admin.token, caseId);
    expect(messages.find((m) => m.id === click.message.id).content.postback).toEqual({ payload: 'EXCHANGE', title: 'Exchange' });
    expect(messages.find((m) => m.id === typed.message.id).content.postback).toEqual({ payload: 'REFUND', title: 'Refund' });
    // An Adaptive Card's Action.Submit answers with its data, as the widget sends it.
    const card = await visitor.send('p-4', { text: 'Great', postback: { payload: '{"rating":5}', title: 'Great' } });
    expect(card.message.content.postback).toEqual({ payload: '{"rating":5}', title: 'Great' });
    visitor.disconnect();
  });

  it('restores the conversation after a reconnect, over socket and HTTP, without internal notes', async () => {
    const visitor = await (await ChatVisitor.start(t.http, channelId, { name: 'Returning' })).connect();
    await visitor.send('h-1', { text: 'First' });
    const caseId = (await waitFor(async () => (await t.http.get(`/api/v1/cases?q=Returning`, admin.token)).body.items[0], 10_000, 'case')).id;
    visitor.disconnect();
    // While the visitor is away: a reply (pushed to nobody) and a note.
    const answer = await reply(caseId, { text: 'We are on it' });
    await settled(t, admin.token, caseId, answer.body.id);
    const note = await reply(caseId, { text: 'Customer seems upset, offer a voucher' }, true);
    expect(note.status).toBe(201);

    await visitor.connect();
    const texts = (items: any[]) => items.map((m) => m.content.text);
    expect(texts(visitor.history.items)).toEqual(['First', 'We are on it']);
    expect(JSON.stringify(visitor.history)).not.toContain('voucher');

    const http = await t.http.get(`/api/v1/chat/${channelId}/messages`, visitor.token);
    expect(http.status).toBe(200);
    expect(http.body).toEqual(visitor.history);
    // Paging back in time.
    const page = await t.http.get(`/api/v1/chat/${channelId}/messages?limit=1`, visitor.token);
    expect(texts(page.body.items)).toEqual(['We are on it']);
    const older = await t.http.get(`/api/v1/chat/${channelId}/messages?limit=1&cursor=${page.body.nextCursor}`, visitor.token);
    expect(texts(older.body.items)).toEqual(['First']);
    expect(older.body.nextCursor).toBeNull();

    // A closed case and the next one read as one conversation.
    await t.http.patch(`/api/v1/cases/${caseId}`, { status: 'closed' }, admin.token);
    await visitor.send('h-2', { text: 'Back again' });
    const after = await t.http.get(`/api/v1/chat/${channelId}/messages`, visitor.token);
    expect(texts(after.body.items)).toEqual(['First', 'We are on it', 'Back again']);
    visitor.disconnect();
  });

  it('shows the agent typing to the visitor, and the visitor typing to the agents', async () => {
    const agent = new AgentSocket(t.url, agentToken);
    await agent.connected();
    const visitor = await (await ChatVisitor.start(t.http, channelId, { name: 'Typist' })).connect();
    const agentTyping: any[] = [];
    agent.socket.on('typing', (e: any) => agentTyping.push(e));
    await visitor.send('t-1', { text: 'Hello?' });
    const caseId = (await waitFor(async () => (await t.http.get(`/api/v1/cases?q=Typist`, admin.token)).body.items[0], 10_000, 'case')).id;

    expect(await agent.socket.timeout(10_000).emitWithAck('typing', { caseId, typing: true })).toEqual({ shown: true });
    await waitFor(() => visitor.typing.length > 0, 10_000, 'typing on /chat');
    expect(visitor.typing[0]).toEqual({ typing: true, author: { type: 'agent', name: 'Inés' } });
    expect(await agent.socket.timeout(10_000).emitWithAck('typing', { caseId, typing: false })).toEqual({ shown: true });
    await waitFor(() => visitor.typing.length > 1, 10_000, 'typing stopped');
    expect(visitor.typing[1].typing).toBe(false);
    // A case the agent cannot see is not found.
    expect((await agent.socket.timeout(10_000).emitWithAck('typing', { caseId: '00000000-0000-4000-8000-000000000000' })).error).toMatchObject({ statusCode: 404 });

    visitor.socket!.emit('typing', { typing: true });
    await waitFor(() => agentTyping.length > 0, 10_000, 'typing on /agents');
    expect(agentTyping[0]).toEqual({ type: 'typing', data: { caseId, typing: true, author: { type: 'contact' } }, at: expect.any(String) });
    visitor.disconnect();
    agent.close();
  });

  it('takes uploads within the size and type limits into durable media, sent as attachments', async () => {
    const visitor = await (await ChatVisitor.start(t.http, channelId, { name: 'Uploader' })).connect();
    const upload = (data: Buffer, contentType: string, options: { token?: string; name?: string; origin?: string; channel?: string } = {}) =>
      t.http.request('POST', `/api/v1/chat/${options.channel ?? channelId}/attachments`, {
        raw: data,
        token: options.token ?? visitor.token,
        headers: { 'content-type': contentType, ...(options.name ? { 'x-file-name': options.name } : {}), ...(options.origin ? { origin: options.origin } : {}) },
      });
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(600, 7)]);
    const mediaRows = () => countRows(t, 'SELECT count(*)::int AS n FROM media');
    const before = await mediaRows();

    const res = await upload(png, 'image/png', { name: encodeURIComponent('../recibo de compra.png'), origin: 'https://anywhere.example' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ url: expect.stringMatching(/^http:\/\/localhost:\d+\/media\/[0-9a-f-]{36}\/[\w-]+$/), contentType: 'image/png', name: 'recibo de compra.png', size: png.length });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
    // PUBLIC_URL is http://localhost:PORT; the test server listens on 127.0.0.1.
    const stored = await fetch(`${t.url}${new URL(res.body.url).pathname}`);
    expect(Buffer.from(await stored.arrayBuffer())).toEqual(png);
    expect(stored.headers.get('content-type')).toBe('image/png');

    const refused = [
      [await upload(Buffer.from('<script>alert(1)</script>'), 'text/html'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [await upload(Buffer.alloc(2049, 1), 'image/png'), 413, 'PAYLOAD_TOO_LARGE'],
      [await upload(Buffer.alloc(0), 'application/pdf'), 400, 'VALIDATION_FAILED'],
      [await upload(png, 'image/png', { token: 'garbage' }), 401, 'UNAUTHORIZED'],
      [await upload(png, 'image/png', { channel: guardedChannelId }), 401, 'UNAUTHORIZED'],
      [await upload(png, 'image/png', { channel: '00000000-0000-4000-8000-000000000000' }), 401, 'UNAUTHORIZED'],
    ] as const;
    for (const [response, status, code] of refused) expect(response.body).toMatchObject({ statusCode: status, code });
    const shopVisitor = await ChatVisitor.start(t.http, guardedChannelId, {}, SHOP);
    expect((await upload(png, 'image/png', { token: shopVisitor.token, channel: guardedChannelId, origin: 'https://evil.example.com' })).body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect(await mediaRows()).toBe(before + 1);

    const attachment = { url: res.body.url, contentType: 'image/png', name: 'recibo de compra.png' };
    const sent = await visitor.send('u-1', { attachments: [attachment] });
    expect(sent.message.content).toEqual({ attachments: [attachment] });
    const caseId = (await waitFor(async () => (await t.http.get(`/api/v1/cases?q=Uploader`, admin.token)).body.items[0], 10_000, 'case')).id;
    expect((await messagesOf(t, admin.token, caseId))[0].content).toEqual({ attachments: [attachment] });
    visitor.disconnect();
  });
});
