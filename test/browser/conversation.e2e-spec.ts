import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchBrowser, signIn, withoutChromium } from '../support/browser';
import { waitFor } from '../support/byoc-integrator';
import { adminWithSkill, messagesOf } from '../support/channel-helpers';
import { ShopSite } from '../support/shop-site';
import { startApp, type TestApp } from '../support/test-app';
import { ensureWebAppBuilt, ensureWidgetBuilt } from '../support/web-app-build';

// Issue 8, both halves at once: a customer in the widget on a shop's page and an agent in the
// agent app, two pages of one Chromium, one Parley server, talking both ways live: the customer's
// first message opens a case in the agent's inbox, the agent answers from the composer (buttons,
// then text), the customer clicks and writes back, each sees the other typing; the agent's
// connection, then the customer's, drops and returns mid-conversation without losing or doubling
// anything. Nothing is reloaded.
const AGENT = { email: 'marta@shop.local', password: 'agent-password-1', name: 'Marta Agent' };
const FIRST = 'Hello, where is my order #4521?';

describe('Conversation between the widget and the agent app (browser)', { skip: withoutChromium }, () => {
  let t: TestApp;
  let shop: ShopSite;
  let browser: Browser;
  let agentContext: BrowserContext;
  let agentPage: Page;
  let customerPage: Page;
  let caseId: string;
  // Full page loads of each page: the conversation must go on without any after the first.
  const loads = { agent: 0, customer: 0 };

  // The agent's side.
  const caseOptions = () => agentPage.getByRole('listbox', { name: 'Cases' }).getByRole('option');
  const caseOption = () => caseOptions().and(agentPage.locator(`[data-case-id="${caseId}"]`));
  const history = () => agentPage.getByRole('log', { name: 'Conversation history' });
  const fromCustomer = () => history().getByRole('article', { name: /^From / });
  const historyTexts = () => history().locator('.content__text').allTextContents();
  // The customer's side, inside the widget's shadow root (Playwright's locators pierce it).
  const widget = () => customerPage.locator('#parley-chat-widget');
  const conversation = () => widget().getByRole('log', { name: 'Conversation' });
  const customerWrites = async (text: string) => {
    await widget().getByLabel('Message').fill(text);
    await widget().getByLabel('Message').press('Enter');
    // Acknowledged by the server: no longer pending.
    await conversation().locator('.message.mine:not(.pending)', { hasText: text }).waitFor();
  };
  const agentReplies = async (text: string) => {
    await agentPage.getByLabel('Reply', { exact: true }).fill(text);
    await agentPage.getByLabel('Reply', { exact: true }).press('Control+Enter');
    await history().getByRole('article', { name: 'Reply by You' }).filter({ hasText: text }).waitFor();
  };
  const stored = async (text: string) => (await messagesOf(t, await t.http.login(), caseId)).filter((m) => m.content.text === text).length;

  before(async () => {
    ensureWebAppBuilt();
    ensureWidgetBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startApp();
    const admin = await adminWithSkill(t);
    expect((await t.http.post('/api/v1/users', { ...AGENT, role: 'agent', skillIds: [admin.skillId] }, admin.token)).status).toBe(201);
    // The exact snippet of API.md §9: an anonymous customer, no optional attribute.
    shop = new ShopSite(t.url);
    const shopUrl = await shop.listen();
    const channel = await t.http.post('/api/v1/channels', { type: 'chat', name: 'Shop chat', defaultSkillId: admin.skillId, config: { allowedOrigins: [shopUrl] } }, admin.token);
    expect(channel.status).toBe(201);
    shop.channelId = channel.body.id;

    browser = await launchBrowser();
    ({ context: agentContext, page: agentPage } = await signIn(browser, t, AGENT.email, AGENT.password));
    // Separate contexts: their own storage, and the agent's network can fail alone.
    const customerContext = await browser.newContext({ viewport: { width: 1000, height: 760 }, timezoneId: 'UTC', locale: 'en-US' });
    customerContext.setDefaultTimeout(30_000);
    customerPage = await customerContext.newPage();
    await customerPage.goto(shopUrl);
    agentPage.on('load', () => loads.agent++);
    customerPage.on('load', () => loads.customer++);
  });
  after(async () => {
    await browser?.close();
    await shop?.close();
    await t?.stop();
  });

  it('the customer writes in the widget; the case appears live in the agent’s inbox, the message in its case view', async () => {
    await expect(caseOptions().count()).resolves.toBe(0);
    await widget().getByRole('button', { name: 'Chat: Chat with us' }).click();
    await widget().getByRole('dialog', { name: 'Chat with us' }).waitFor();
    await customerWrites(FIRST);

    const option = caseOptions().filter({ hasText: FIRST });
    await option.waitFor();
    await expect(option.getByRole('img', { name: 'Web chat' }).count()).resolves.toBe(1);
    caseId = (await option.getAttribute('data-case-id'))!;
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
    await option.click();
    await agentPage.getByRole('heading', { level: 2 }).waitFor();
    await fromCustomer().filter({ hasText: FIRST }).waitFor();
    expect(await historyTexts()).toEqual([FIRST]);
  });

  it('names the anonymous customer "Web chat visitor #…" in the list and the case view, never by their id', async () => {
    const kase = (await t.http.get(`/api/v1/cases/${caseId}`, await t.http.login())).body;
    const visitorId: string = kase.contact.identities[0].address;
    const label = `Web chat visitor #${visitorId.replace(/-/g, '').slice(0, 6).toUpperCase()}`;
    expect(kase.contact.name).toBe(label);
    await expect(caseOption().locator('.case-item__name').textContent()).resolves.toBe(label);
    await expect(agentPage.getByRole('heading', { level: 2 }).textContent()).resolves.toBe(label);
    await expect(fromCustomer().first().getAttribute('aria-label')).resolves.toBe(`From ${label}`);
    // The id shows nowhere on the agent's screen.
    await expect(agentPage.locator('body').textContent()).resolves.not.toContain(visitorId);
    await expect(agentPage.locator('body').textContent()).resolves.not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it('the agent replies with buttons from the composer; the widget shows native buttons; the click shows in the case view as a postback', async () => {
    await agentPage.getByLabel('Reply', { exact: true }).fill('Happy to help. What would you like to do?');
    await agentPage.getByRole('button', { name: 'Buttons', exact: true }).click();
    await agentPage.getByLabel('Button 1 title').fill('Track my order');
    await agentPage.getByLabel('Button 2 title').fill('Change the address');
    // The web chat renders buttons natively: the preview shows them as such.
    const preview = agentPage.getByRole('region', { name: 'Preview on Web chat' });
    await preview.getByRole('list', { name: 'Buttons' }).getByText('Change the address').waitFor();
    await agentPage.getByRole('button', { name: 'Send', exact: true }).click();
    const sent = history().getByRole('article', { name: 'Reply by You' }).filter({ hasText: 'What would you like to do?' });
    await sent.getByRole('list', { name: 'Buttons' }).getByText('Track my order').waitFor();

    const message = conversation().locator('.message.theirs', { hasText: 'What would you like to do?' });
    await message.waitFor();
    const options = message.getByRole('group', { name: 'Options' }).getByRole('button');
    expect(await options.allTextContents()).toEqual(['Track my order', 'Change the address']);
    expect(await options.evaluateAll((buttons) => buttons.map((b) => `${b.tagName}:${b.getAttribute('type')}`))).toEqual(['BUTTON:button', 'BUTTON:button']);
    // The agent's name travels with the reply.
    await expect(message.textContent()).resolves.toContain(AGENT.name);

    await options.filter({ hasText: 'Track my order' }).click();
    await conversation().locator('.message.mine:not(.pending)', { hasText: 'Track my order' }).waitFor();
    // The agent sees which button was clicked: its title and the payload the composer derived.
    const click = fromCustomer().filter({ hasText: 'Selected' });
    await click.waitFor();
    // One bubble, the title once, the payload aside: the widget sends the title as text too
    // (for channels that only read text), which the case view does not repeat.
    await expect(fromCustomer().filter({ hasText: 'Track my order' }).count()).resolves.toBe(1);
    await expect(click.locator('.content').textContent()).resolves.toMatch(/^Selected\s*Track my order\s*TRACK_MY_ORDER$/);
    await expect(click.locator('.content__payload').textContent()).resolves.toBe('TRACK_MY_ORDER');
    const postback = (await messagesOf(t, await t.http.login(), caseId)).at(-1);
    expect(postback).toMatchObject({ direction: 'inbound', content: { text: 'Track my order', postback: { payload: 'TRACK_MY_ORDER', title: 'Track my order' } } });
  });

  it('plain text goes both ways live: the agent’s reply reaches the widget, the customer’s answer the case view', async () => {
    await agentReplies('It left our warehouse this morning and arrives tomorrow.');
    await conversation().locator('.message.theirs', { hasText: 'arrives tomorrow' }).waitFor();
    await customerWrites('Great, thank you!');
    await fromCustomer().filter({ hasText: 'Great, thank you!' }).waitFor();
    // The list follows the conversation too.
    await waitFor(async () => (await caseOption().textContent())?.includes('Great, thank you!'), 30_000, 'list preview updated');
  });

  it('each side sees the other typing: the agent’s composer in the widget, the customer’s keystrokes in the case view', async () => {
    const agentTyping = widget().getByRole('status').filter({ hasText: 'is typing' });
    await expect(agentTyping.count()).resolves.toBe(0);
    const reply = agentPage.getByLabel('Reply', { exact: true });
    await reply.pressSequentially('Let me check', { delay: 20 });
    await expect(agentTyping.textContent()).resolves.toBe(`${AGENT.name} is typing…`);
    // Emptying the composer stops it at once (as would a pause, leaving it, or sending).
    await reply.fill('');
    await waitFor(async () => (await widget().locator('.typing').textContent()) === '', 30_000, 'agent typing cleared in the widget');

    const customerTyping = agentPage.locator('.case__typing');
    await expect(customerTyping.getAttribute('role')).resolves.toBe('status');
    await expect(customerTyping.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(customerTyping.textContent()).resolves.toBe('');
    const name = await agentPage.getByRole('heading', { level: 2 }).textContent();
    await widget().getByLabel('Message').pressSequentially('Actually', { delay: 20 });
    await waitFor(async () => (await customerTyping.textContent()) === `${name} is typing…`, 30_000, 'customer typing in the case view');
    await agentPage.screenshot({ path: join(ARTIFACTS, 'conversation-customer-typing.png') });
    // Their message ends it.
    await widget().getByLabel('Message').pressSequentially(', one more question', { delay: 5 });
    await widget().getByLabel('Message').press('Enter');
    await fromCustomer().filter({ hasText: 'Actually, one more question' }).waitFor();
    await waitFor(async () => (await customerTyping.textContent()) === '', 30_000, 'customer typing cleared');
  });

  it('the agent’s connection drops while the customer writes twice; back online, the case view shows both messages once', async () => {
    await agentContext.setOffline(true);
    await agentPage.getByRole('status', { name: 'Connection: Reconnecting…' }).waitFor();

    await customerWrites('One more thing: can you deliver to my office?');
    await customerWrites('It is Calle Mayor 5, Madrid.');
    expect(await stored('One more thing: can you deliver to my office?')).toBe(1);
    expect(await stored('It is Calle Mayor 5, Madrid.')).toBe(1);
    expect(await history().getByText('Calle Mayor 5').count()).toBe(0);

    await agentContext.setOffline(false);
    await agentPage.getByRole('status', { name: 'Connection: Live' }).waitFor();
    await fromCustomer().filter({ hasText: 'Calle Mayor 5' }).waitFor();
    await fromCustomer().filter({ hasText: 'deliver to my office' }).waitFor();
    // Each once, in the order they were written, after everything said before the drop.
    expect(await historyTexts()).toEqual([
      FIRST,
      'Happy to help. What would you like to do?',
      'It left our warehouse this morning and arrives tomorrow.',
      'Great, thank you!',
      'Actually, one more question',
      'One more thing: can you deliver to my office?',
      'It is Calle Mayor 5, Madrid.',
    ]);
    await expect(fromCustomer().filter({ hasText: 'Selected' }).count()).resolves.toBe(1);

    // And the reconnected app is live again both ways.
    await agentReplies('Done: it goes to Calle Mayor 5.');
    await conversation().locator('.message.theirs', { hasText: 'Done: it goes to Calle Mayor 5.' }).waitFor();
    await customerWrites('Perfect!');
    await fromCustomer().filter({ hasText: 'Perfect!' }).waitFor();
    await expect(history().getByText('It is Calle Mayor 5, Madrid.').count()).resolves.toBe(1);
  });

  it('the customer’s connection drops while the agent replies twice and the customer writes; back online, each side shows everything once', async () => {
    const customerContext = customerPage.context();
    await customerContext.setOffline(true);
    await widget().getByRole('alert').filter({ hasText: 'Reconnecting…' }).waitFor();

    await agentReplies('One question: which floor?');
    await agentReplies('And is there a reception desk?');
    // Written offline: kept pending in the widget, sent on reconnection.
    await widget().getByLabel('Message').fill('Third floor, ask at reception.');
    await widget().getByLabel('Message').press('Enter');
    await conversation().locator('.message.mine.pending', { hasText: 'Third floor' }).waitFor();
    expect(await conversation().getByText('which floor?').count()).toBe(0);

    await customerContext.setOffline(false);
    await conversation().locator('.message.mine:not(.pending)', { hasText: 'Third floor, ask at reception.' }).waitFor();
    await conversation().locator('.message.theirs', { hasText: 'And is there a reception desk?' }).waitFor();
    await fromCustomer().filter({ hasText: 'Third floor, ask at reception.' }).waitFor();
    const widgetTexts = await conversation().locator('.message').allTextContents();
    for (const text of ['which floor?', 'reception desk?', 'Third floor, ask at reception.']) expect(widgetTexts.filter((entry) => entry.includes(text))).toHaveLength(1);
    expect(await stored('Third floor, ask at reception.')).toBe(1);
    await expect(history().getByText('Third floor, ask at reception.').count()).resolves.toBe(1);
  });

  it('ends with no reload on either side and screenshots of both', async () => {
    expect(loads).toEqual({ agent: 0, customer: 0 });
    // The customer's view of the whole conversation, once each.
    const widgetTexts = await conversation().locator('.message').allTextContents();
    for (const text of [FIRST, 'Calle Mayor 5, Madrid.', 'Perfect!']) expect(widgetTexts.filter((entry) => entry.includes(text))).toHaveLength(1);
    await agentPage.screenshot({ path: join(ARTIFACTS, 'conversation-agent.png') });
    await customerPage.screenshot({ path: join(ARTIFACTS, 'conversation-widget.png') });
  });
});
