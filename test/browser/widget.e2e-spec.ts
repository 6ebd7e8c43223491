import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import type { Browser, Page } from 'playwright-core';
import { AgentSocket } from '../support/agent-socket';
import { ARTIFACTS, launchBrowser, withoutChromium } from '../support/browser';
import { waitFor } from '../support/byoc-integrator';
import { adminWithSkill, messagesOf, type Admin } from '../support/channel-helpers';
import { ShopSite } from '../support/shop-site';
import { startApp, type TestApp } from '../support/test-app';
import { ensureWidgetBuilt } from '../support/web-app-build';

// Issue 8, the widget in a real browser (the system's Chromium, never a downloaded one): a shop
// page on another origin embeds the one script tag; the customer chats, the agent answers over
// the API and /agents, rich content renders natively, clicks come back as postbacks, a reload
// restores the conversation. Screenshots go to test/artifacts/.

describe('Web chat widget in a browser', { skip: withoutChromium }, () => {
  let t: TestApp;
  let admin: Admin;
  let agentToken: string;
  let agent: AgentSocket;
  let channelId: string;
  let shop: ShopSite;
  let shopUrl: string;
  let browser: Browser;
  let page: Page;
  let caseId: string;

  const widget = () => page.locator('#parley-chat-widget');
  const screenshot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const reply = (content: unknown) => t.http.post(`/api/v1/cases/${caseId}/messages`, { content }, agentToken);

  before(async () => {
    ensureWidgetBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startApp();
    admin = await adminWithSkill(t);
    await t.http.post('/api/v1/users', { email: 'ines@t.local', name: 'Inés', password: 'agent-password', role: 'agent', skillIds: [admin.skillId] }, admin.token);
    agentToken = await t.http.login('ines@t.local', 'agent-password');
    agent = new AgentSocket(t.url, agentToken);
    await agent.connected();

    shop = new ShopSite(t.url, { title: 'Shop support' });
    shopUrl = await shop.listen();
    const channel = await t.http.post('/api/v1/channels', { type: 'chat', name: 'Shop chat', defaultSkillId: admin.skillId, config: { allowedOrigins: [shopUrl] } }, admin.token);
    channelId = shop.channelId = channel.body.id;

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  });
  after(async () => {
    agent?.close();
    await browser?.close();
    await shop?.close();
    await t?.stop();
  });

  it('serves the widget script for embedding, with caching headers', async () => {
    const res = await fetch(`${t.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect((await res.text()).length).toBeGreaterThan(1000);
    expect((await fetch(`${t.url}/widget.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('lets the customer write from the shop page; the agent sees the case arrive', async () => {
    await page.goto(shopUrl);
    const launcher = widget().getByRole('button', { name: 'Chat: Shop support' });
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    await launcher.click();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    const dialog = widget().getByRole('dialog', { name: 'Shop support' });
    await dialog.waitFor();
    await dialog.getByLabel('Message').fill('Hello from the shop, where is my order?');
    await dialog.getByLabel('Message').press('Enter');
    await widget().locator('.message.mine:not(.pending)', { hasText: 'where is my order' }).waitFor();

    const created = await waitFor(() => agent.of('message.created').find((e) => e.data.message.content.text === 'Hello from the shop, where is my order?'), 15_000, 'the message on /agents');
    caseId = created.data.caseId;
    const kase = await t.http.get(`/api/v1/cases/${caseId}`, agentToken);
    expect(kase.body).toMatchObject({ channelType: 'chat', status: 'new' });
    // The page's own styles did not reach into the widget (shadow DOM).
    const sendBackground = await widget().getByRole('button', { name: 'Send' }).evaluate('el => getComputedStyle(el).backgroundColor');
    expect(sendBackground).not.toBe('rgb(255, 105, 180)');
    await screenshot('widget-1-customer-message');
  });

  it('shows the agent typing', async () => {
    expect(await agent.socket.timeout(10_000).emitWithAck('typing', { caseId, typing: true })).toEqual({ shown: true });
    await widget().getByRole('status').filter({ hasText: 'Inés is typing…' }).waitFor();
    await screenshot('widget-2-agent-typing');
  });

  it('renders the agent’s buttons, card, list and time pickers, rich link, quick replies and Adaptive Card natively', async () => {
    const sent = await reply({
      text: 'Here are your **options**',
      format: 'markdown',
      buttons: [{ title: 'Track order', payload: 'TRACK' }, { title: 'Help centre', url: 'https://help.example.com/' }],
      cards: [{ title: 'Blue shoes', subtitle: '€45', buttons: [{ title: 'Buy', payload: 'BUY_BLUE' }] }],
      timePicker: { title: 'Book a call', timezone: 'Europe/Madrid', slots: [{ start: '2026-11-20T10:00:00Z', durationMinutes: 30 }] },
      listPicker: { title: 'Pick a store', items: [{ title: 'Madrid', subtitle: 'Gran Vía 1', payload: 'STORE_MAD' }, { title: 'Lisboa', payload: 'STORE_LIS' }] },
      richLink: { url: 'https://shop.example.com/sale', title: 'Winter sale' },
    });
    expect(sent.status).toBe(201);
    const card = await reply({
      adaptiveCard: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          { type: 'TextBlock', text: 'How did we do?', weight: 'Bolder' },
          { type: 'FactSet', facts: [{ title: 'Order', value: '#98765' }] },
        ],
        actions: [{ type: 'Action.Submit', title: 'Great', data: { rating: 5 } }],
      },
      quickReplies: [{ title: 'Talk to a human', payload: 'HUMAN' }, { title: 'No thanks', payload: 'NO' }],
    });
    expect(card.status).toBe(201);

    const log = widget().getByRole('log', { name: 'Conversation' });
    await log.getByRole('button', { name: 'Track order' }).waitFor();
    // The typing indicator went away with the reply.
    await widget().getByRole('status').filter({ hasText: 'typing' }).waitFor({ state: 'detached' }).catch(() => undefined);
    expect(await widget().locator('.typing').textContent()).toBe('');
    expect(await log.locator('strong', { hasText: 'options' }).count()).toBe(1);
    expect(await log.getByRole('link', { name: 'Help centre' }).getAttribute('href')).toBe('https://help.example.com/');
    await log.locator('.card', { hasText: 'Blue shoes' }).getByRole('button', { name: 'Buy' }).waitFor();
    await log.getByRole('group', { name: 'Book a call' }).getByRole('button').first().waitFor();
    const stores = log.getByRole('region', { name: 'Pick a store' });
    expect(await stores.getByRole('button').allTextContents()).toEqual(['MadridGran Vía 1', 'Lisboa']);
    expect(await log.getByRole('link', { name: /Winter sale/ }).getAttribute('href')).toBe('https://shop.example.com/sale');
    await log.getByRole('group', { name: 'Quick replies' }).getByRole('button', { name: 'Talk to a human' }).waitFor();
    // Rendered by the adaptivecards renderer itself, with its own action buttons.
    const adaptive = log.locator('.adaptive-card .ac-adaptiveCard');
    await adaptive.waitFor();
    expect(await adaptive.textContent()).toContain('How did we do?');
    expect(await adaptive.textContent()).toContain('#98765');
    await adaptive.getByRole('button', { name: 'Great' }).waitFor();
    await screenshot('widget-3-rich-reply');
  });

  it('sends clicked buttons, list items, quick replies and Adaptive Card actions back as postbacks', async () => {
    const log = widget().getByRole('log', { name: 'Conversation' });
    const postbacks = async () => (await messagesOf(t, agentToken, caseId)).map((m) => m.content.postback?.payload).filter(Boolean);
    await log.getByRole('group', { name: 'Quick replies' }).getByRole('button', { name: 'Talk to a human' }).click();
    await waitFor(async () => (await postbacks()).includes('HUMAN'), 15_000, 'the quick reply postback');
    // Quick replies are offered once: the answer replaced them.
    await log.getByRole('group', { name: 'Quick replies' }).waitFor({ state: 'detached' });
    await log.getByRole('region', { name: 'Pick a store' }).getByRole('button', { name: /Lisboa/ }).click();
    await waitFor(async () => (await postbacks()).includes('STORE_LIS'), 15_000, 'the list postback');
    await log.getByRole('button', { name: 'Track order' }).click();
    await waitFor(async () => (await messagesOf(t, agentToken, caseId)).find((m) => m.content.postback?.payload === 'TRACK'), 15_000, 'the TRACK postback');
    await log.locator('.adaptive-card').getByRole('button', { name: 'Great' }).click();
    const answer = await waitFor(async () => (await messagesOf(t, agentToken, caseId)).find((m) => m.content.postback?.title === 'Great'), 15_000, 'the card postback');
    expect(JSON.parse(answer.content.postback.payload)).toEqual({ rating: 5 });
    expect(answer).toMatchObject({ direction: 'inbound', author: { type: 'contact' } });
    await log.locator('.message.mine', { hasText: 'Great' }).waitFor();
    // The agent's replies were seen with the panel open: read receipts.
    await waitFor(async () => (await messagesOf(t, agentToken, caseId)).filter((m) => m.direction === 'outbound').every((m) => m.status === 'read'), 15_000, 'read receipts');
    await screenshot('widget-4-postbacks');
  });

  it('uploads a file the customer picks and sends it as an attachment', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(300, 9)]);
    await widget().locator('input[type=file]').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png });
    const sent = await waitFor(async () => (await messagesOf(t, agentToken, caseId)).find((m) => m.content.attachments), 15_000, 'the attachment in the case');
    expect(sent.content.attachments).toEqual([{ url: expect.stringContaining('/media/'), contentType: 'image/png', name: 'receipt.png' }]);
    await widget().locator('.message.mine img[alt="receipt.png"]').waitFor({ state: 'attached' });
    // A type the channel does not take is refused with the server's reason, and nothing is sent.
    await widget().locator('input[type=file]').setInputFiles({ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<h1>x</h1>') });
    await widget().getByRole('alert').filter({ hasText: 'cannot be sent' }).waitFor();
  });

  it('restores the conversation after a page reload', async () => {
    await page.reload();
    await widget().getByRole('button', { name: 'Chat: Shop support' }).click();
    const log = widget().getByRole('log', { name: 'Conversation' });
    await log.getByText('Hello from the shop, where is my order?').waitFor();
    await log.getByRole('button', { name: 'Track order' }).waitFor();
    await log.locator('.adaptive-card').getByRole('button', { name: 'Great' }).waitFor();
    const texts = await log.locator('.message').allTextContents();
    expect(texts.filter((text) => text.includes('where is my order'))).toHaveLength(1);
    // Still the same visitor: a new message joins the same case.
    await widget().getByLabel('Message').fill('Thanks!');
    await widget().getByRole('button', { name: 'Send' }).click();
    await waitFor(async () => (await messagesOf(t, agentToken, caseId)).find((m) => m.content.text === 'Thanks!'), 15_000, 'the message after reload');
    await screenshot('widget-5-restored');
  });

  it('resends what was not acknowledged after a reload, and the server keeps it once', async () => {
    // A message whose acknowledgement was lost: still in the outbox when the page goes away.
    const outbox = JSON.stringify([{ clientMessageId: 'lost-ack-1', content: { text: 'Did this arrive?' }, createdAt: new Date().toISOString() }]);
    const key = `parley.chat.${channelId}.outbox`;
    const count = async () => (await messagesOf(t, agentToken, caseId)).filter((m) => m.content.text === 'Did this arrive?').length;
    for (let attempt = 0; attempt < 2; attempt++) {
      await page.evaluate(`localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(outbox)})`);
      await page.reload();
      await waitFor(async () => (await page.evaluate(`localStorage.getItem(${JSON.stringify(key)})`)) === null, 15_000, 'the outbox flushed');
      expect(await count()).toBe(1);
    }
    await widget().getByRole('button', { name: 'Chat: Shop support' }).click();
    expect(await widget().locator('.message', { hasText: 'Did this arrive?' }).count()).toBe(1);
  });
});
