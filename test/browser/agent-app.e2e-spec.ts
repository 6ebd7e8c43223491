import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import type { Page } from 'playwright-core';
import twilio from 'twilio';
import { TwilioApiFake } from '../fakes/twilio-api.fake';
import { ARTIFACTS, signIn, SuiteBrowser, withoutChromium } from '../support/browser';
import { ensureWebAppBuilt } from '../support/web-app-build';
import { ByocIntegrator, waitFor } from '../support/byoc-integrator';
import { messagesOf } from '../support/channel-helpers';
import { startApp, type TestApp } from '../support/test-app';

// Issue 8, the agent app, end to end: the real server (serving the built app), Debian's
// Chromium driven by playwright-core, customers played by a BYOC integrator and by Twilio's
// signed SMS webhooks (the recorded fixtures, re-signed), Twilio's API by a local fake.
const AUTH_TOKEN = 'f3a1c9e2b7d44e0a9c6b5d8e7f1a2b3c';
const ACCOUNT_SID = 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const smsFixture = readFileSync(join(__dirname, '..', '..', 'channels', 'sms', 'fixtures', 'twilio-sms-inbound.form'), 'utf8');
const AGENT = { email: 'agent@test.local', password: 'agent-password-1', name: 'Alex Agent' };

describe('Agent app (browser)', { skip: withoutChromium }, () => {
  let t: TestApp;
  const browser = new SuiteBrowser();
  let admin: string;
  let supportSkill: string;
  let billingSkill: string;
  let byocChannel: string;
  let billingChannel: string;
  // Each BYOC channel signs with its own secret.
  const secrets = new Map<string, string>();
  let smsChannel: string;
  let smsWebhookUrl: string;
  const byoc = new ByocIntegrator();
  const twilioApi = new TwilioApiFake();
  let n = 0;

  // A customer writes on the BYOC channel (support queue unless another channel is given).
  const byocMessage = async (name: string, content: Record<string, unknown>, channelId = byocChannel) => {
    const res = await byoc.send(
      t.http,
      channelId,
      { type: 'message', messageId: `ext-${++n}`, from: { id: name.toLowerCase().replace(/\W+/g, '-'), name }, timestamp: new Date().toISOString(), content },
      { secret: secrets.get(channelId) },
    );
    expect(res.status).toBe(200);
    return res.body as { id: string; caseId: string };
  };
  // A customer texts the SMS channel (Twilio's signed form post).
  const sms = async (from: string, body: string) => {
    const params = new URLSearchParams(smsFixture);
    const sid = `SM${String(++n).padStart(32, 'b')}`;
    for (const key of ['MessageSid', 'SmsSid', 'SmsMessageSid']) params.set(key, sid);
    params.set('From', from);
    params.set('Body', body);
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, smsWebhookUrl, Object.fromEntries(params));
    const res = await t.http.request('POST', `/webhooks/${smsChannel}`, { raw: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } });
    expect(res.status).toBe(200);
    return waitFor(async () => (await t.http.get(`/api/v1/cases?channelType=sms&q=${encodeURIComponent(from)}`, admin)).body.items[0]?.id as string | undefined, 5000, 'sms case');
  };
  const caseOption = (page: Page, name: string) => page.getByRole('listbox', { name: 'Cases' }).getByRole('option', { name: new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  const history = (page: Page) => page.getByRole('log', { name: 'Conversation history' });
  const openCase = async (page: Page, name: string) => {
    await caseOption(page, name).click();
    await page.getByRole('heading', { level: 2, name }).waitFor();
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

  before(async () => {
    ensureWebAppBuilt();
    await twilioApi.listen();
    t = await startApp();
    admin = await t.http.login();
    supportSkill = (await t.http.post('/api/v1/skills', { name: 'support' }, admin)).body.id;
    billingSkill = (await t.http.post('/api/v1/skills', { name: 'billing' }, admin)).body.id;
    expect((await t.http.post('/api/v1/users', { ...AGENT, role: 'agent', skillIds: [supportSkill] }, admin)).status).toBe(201);
    const callbackUrl = await byoc.listen();
    const custom = await t.http.post('/api/v1/channels', { type: 'byoc', name: 'Custom', defaultSkillId: supportSkill, config: { callbackUrl, capabilities: ['buttons', 'quickReplies'] } }, admin);
    byocChannel = custom.body.id;
    byoc.secret = custom.body.secret;
    // A second integrator channel of the same integrator, routed to billing.
    const billing = await t.http.post('/api/v1/channels', { type: 'byoc', name: 'Billing', defaultSkillId: billingSkill, config: { callbackUrl, capabilities: ['buttons'] } }, admin);
    billingChannel = billing.body.id;
    secrets.set(byocChannel, custom.body.secret).set(billingChannel, billing.body.secret);
    const smsRes = await t.http.post(
      '/api/v1/channels',
      { type: 'sms', name: 'SMS', defaultSkillId: supportSkill, config: { provider: 'twilio', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+14155550100', apiBaseUrl: twilioApi.baseUrl } },
      admin,
    );
    smsChannel = smsRes.body.id;
    smsWebhookUrl = smsRes.body.webhookUrl;
  });
  after(async () => {
    await browser.close();
    await t?.stop();
    await byoc.close();
    await twilioApi.close();
  });

  it('signs in through the login form; a wrong password is refused with a message', async () => {
    const context = await (await browser.get()).newContext({ baseURL: t.url });
    const page = await context.newPage();
    try {
      await page.goto('/');
      await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
      await page.getByLabel('Email').fill(AGENT.email);
      await page.getByLabel('Password').fill('wrong-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toMatch(/invalid|incorrect|wrong/i);

      await page.getByLabel('Password').fill(AGENT.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('status', { name: 'Connection: Live' }).waitFor();
      await expect(page.getByRole('banner').textContent()).resolves.toContain(AGENT.name);
      // The session survives a reload; signing out forgets it.
      await page.reload();
      await page.getByRole('status', { name: 'Connection: Live' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('shows a new case and new activity in the list live, without a reload', async () => {
    const { context, page } = await signIn(await browser.get(), t, AGENT.email, AGENT.password);
    try {
      await byocMessage('Lena Live', { text: 'Is anyone there?' });
      await caseOption(page, 'Lena Live').waitFor();
      await expect(caseOption(page, 'Lena Live').textContent()).resolves.toContain('Is anyone there?');
      await byocMessage('Lena Live', { text: 'Second thought: cancel it' });
      await waitFor(async () => (await caseOption(page, 'Lena Live').textContent())?.includes('Second thought'), 20_000, 'list preview updated');
      // Newest activity first.
      await expect(page.getByRole('listbox', { name: 'Cases' }).getByRole('option').first().textContent()).resolves.toContain('Lena Live');
      await shot(page, 'inbox');
    } finally {
      await context.close();
    }
  });

  it('filters the list by status, channel and skill', async () => {
    await sms('+14155550161', 'Filter me by SMS');
    await byocMessage('Bea Billing', { text: 'Invoice question' }, billingChannel);
    const resolvedCase = (await byocMessage('Rita Resolved', { text: 'All good now' })).caseId;
    expect((await t.http.patch(`/api/v1/cases/${resolvedCase}`, { status: 'resolved' }, admin)).status).toBe(200);

    const { context, page } = await signIn(await browser.get(), t);
    try {
      const options = page.getByRole('listbox', { name: 'Cases' }).getByRole('option');
      await caseOption(page, 'Bea Billing').waitFor();
      // Active (the default) hides the resolved case.
      expect(await caseOption(page, 'Rita Resolved').count()).toBe(0);

      await page.getByRole('search').getByLabel('Channel').selectOption('sms');
      await waitFor(async () => (await caseOption(page, 'Bea Billing').count()) === 0, 20_000, 'channel filter');
      const channels = await options.evaluateAll((items) => items.map((item) => item.querySelector('[data-channel]')?.getAttribute('data-channel')));
      expect(channels.length).toBeGreaterThan(0);
      expect(new Set(channels)).toEqual(new Set(['sms']));

      await page.getByRole('search').getByLabel('Channel').selectOption('');
      await page.getByRole('search').getByLabel('Skill').selectOption({ label: 'billing' });
      await waitFor(async () => (await options.count()) === 1, 20_000, 'skill filter');
      await expect(options.first().textContent()).resolves.toContain('Bea Billing');

      await page.getByRole('search').getByLabel('Skill').selectOption('');
      await page.getByRole('search').getByLabel('Status').selectOption('resolved');
      await caseOption(page, 'Rita Resolved').waitFor();
      expect(await options.count()).toBe(1);
      await shot(page, 'inbox-filtered');
    } finally {
      await context.close();
    }
  });

  it('replies with buttons: native on a channel that renders them, with delivery ticks that follow the status', async () => {
    const { caseId } = await byocMessage('Bruno Buttons', { text: 'What can I do?' });
    const { context, page } = await signIn(await browser.get(), t, AGENT.email, AGENT.password);
    try {
      await openCase(page, 'Bruno Buttons');
      await page.getByLabel('Reply', { exact: true }).fill('Choose one');
      await page.getByRole('button', { name: 'Buttons', exact: true }).click();
      await page.getByLabel('Button 1 title').fill('Refund');
      await page.getByLabel('Button 2 title').fill('Track order');
      const preview = page.getByRole('region', { name: 'Preview on Custom channel' });
      await preview.getByRole('list', { name: 'Buttons' }).getByText('Track order').waitFor();
      await shot(page, 'case-reply-buttons');

      const callbacks = byoc.received.length;
      await page.getByLabel('Reply', { exact: true }).press('Control+Enter');
      const sent = history(page).getByRole('article', { name: 'Reply by You' }).filter({ hasText: 'Choose one' });
      await sent.getByRole('list', { name: 'Buttons' }).getByText('Refund').waitFor();
      // The composer is cleared for the next message.
      await expect(page.getByLabel('Reply', { exact: true }).inputValue()).resolves.toBe('');

      await waitFor(() => byoc.received.length > callbacks, 20_000, 'BYOC callback');
      const callback = byoc.received.at(-1)!.body;
      expect(callback.content).toEqual({ text: 'Choose one', format: 'plain', buttons: [{ title: 'Refund', payload: 'REFUND' }, { title: 'Track order', payload: 'TRACK_ORDER' }] });
      await sent.getByRole('img', { name: 'Delivery status: Sent' }).waitFor();
      for (const [status, label] of [['delivered', 'Delivered'], ['read', 'Read']] as const) {
        expect((await byoc.send(t.http, byocChannel, { type: 'status', messageId: callback.messageId, status })).status).toBe(200);
        await sent.getByRole('img', { name: `Delivery status: ${label}` }).waitFor();
      }
      expect((await messagesOf(t, admin, caseId)).at(-1)).toMatchObject({ status: 'read', content: { buttons: [{ title: 'Refund' }, { title: 'Track order' }] } });
    } finally {
      await context.close();
    }
  });

  it('composes quick replies and time slots; the preview shows the native form each takes on the channel', async () => {
    const { caseId } = await byocMessage('Tara Times', { text: 'When can you call?' });
    const { context, page } = await signIn(await browser.get(), t, AGENT.email, AGENT.password);
    try {
      await openCase(page, 'Tara Times');
      await page.getByLabel('Reply', { exact: true }).fill('Shall we talk?');
      await page.getByRole('button', { name: 'Quick replies', exact: true }).click();
      await page.getByLabel('Quick reply 1 title').fill('Yes');
      await page.getByLabel('Quick reply 2 title').fill('No');
      await page.getByRole('button', { name: 'Time slots', exact: true }).click();
      await page.getByLabel('Time zone').fill('Europe/Madrid');
      await page.getByLabel('Slot 1 start').fill('2026-12-01T10:00');
      await page.getByRole('button', { name: 'Add slot' }).click();
      await page.getByLabel('Slot 2 start').fill('2026-12-01T16:30');
      await page.getByLabel('Slot 2 minutes').fill('45');

      // This integrator renders quick replies and buttons but no time picker: the slots take
      // the next best native form, buttons titled with their time in the picker's zone.
      const preview = page.getByRole('region', { name: 'Preview on Custom channel' });
      await preview.getByRole('list', { name: 'Quick replies' }).getByText('Yes').waitFor();
      const slotButtons = preview.getByRole('list', { name: 'Buttons' }).getByRole('listitem');
      await waitFor(async () => (await slotButtons.count()) === 2, 20_000, 'slots as buttons');
      expect(await slotButtons.allTextContents()).toEqual([expect.stringMatching(/10:00/), expect.stringMatching(/4:30/)]);
      expect(await preview.getByRole('list', { name: 'Time slots' }).count()).toBe(0);
      await shot(page, 'case-time-slots');

      const callbacks = byoc.received.length;
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      // The history shows what the agent composed: a time picker.
      await history(page).getByRole('list', { name: 'Time slots' }).waitFor();
      await waitFor(() => byoc.received.length > callbacks, 20_000, 'BYOC callback');
      const sent = byoc.received.at(-1)!.body.content;
      expect(sent.quickReplies).toEqual([{ title: 'Yes', payload: 'YES' }, { title: 'No', payload: 'NO' }]);
      expect(sent.timePicker).toBeUndefined();
      expect(sent.buttons).toHaveLength(2);
      expect(sent.buttons[0].title).toMatch(/10:00/);
      // The slots were written in Madrid time and stored as instants.
      expect((await messagesOf(t, admin, caseId)).at(-1).content.timePicker).toEqual({
        title: 'Pick a time',
        timezone: 'Europe/Madrid',
        slots: [
          { start: '2026-12-01T09:00:00Z', durationMinutes: 30 },
          { start: '2026-12-01T15:30:00Z', durationMinutes: 45 },
        ],
      });
    } finally {
      await context.close();
    }
  });

  it('on an SMS case, previews the fallback text (numbered options) that Twilio then receives', async () => {
    await sms('+14155550171', 'Where is my parcel?');
    const { context, page } = await signIn(await browser.get(), t, AGENT.email, AGENT.password);
    try {
      await openCase(page, '+14155550171');
      await page.getByLabel('Reply', { exact: true }).fill('Choose one');
      await page.getByRole('button', { name: 'Buttons', exact: true }).click();
      await page.getByLabel('Button 1 title').fill('Refund');
      await page.getByLabel('Button 2 title').fill('Track');
      const preview = page.getByRole('region', { name: 'Preview on SMS' });
      const fallback = preview.getByTestId('sms-fallback');
      await waitFor(async () => (await fallback.count()) && (await fallback.textContent()) === 'Choose one\n\n1. Refund\n2. Track', 20_000, 'SMS fallback preview');
      await expect(preview.textContent()).resolves.toContain('1 SMS segment (GSM-7)');
      // No native button is shown for SMS.
      expect(await preview.getByRole('list', { name: 'Buttons' }).count()).toBe(0);
      await shot(page, 'case-sms-preview');

      twilioApi.sends.length = 0;
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await waitFor(() => twilioApi.sends.length === 1, 20_000, 'Twilio send');
      expect(twilioApi.sends[0]!.form.get('Body')).toBe('Choose one\n\n1. Refund\n2. Track');
    } finally {
      await context.close();
    }
  });

  it('keeps internal notes apart: marked, styled differently and never sent', async () => {
    const { caseId } = await byocMessage('Nora Notes', { text: 'Please call me back' });
    const { context, page } = await signIn(await browser.get(), t, AGENT.email, AGENT.password);
    try {
      await openCase(page, 'Nora Notes');
      const callbacks = byoc.received.length;
      await page.getByRole('radio', { name: 'Internal note' }).check();
      // No customer preview for a note.
      await page.getByRole('region', { name: 'Preview on Custom channel' }).getByText('never sees them').waitFor();
      await page.getByRole('textbox', { name: 'Note', exact: true }).fill('VIP customer, handle with care');
      await page.getByRole('button', { name: 'Add note' }).click();
      const note = history(page).getByRole('article', { name: 'Internal note by You' });
      await note.getByText('VIP customer, handle with care').waitFor();
      await expect(note.getByText('Internal note', { exact: true }).isVisible()).resolves.toBe(true);
      expect(await note.getByRole('img', { name: /Delivery status/ }).count()).toBe(0);
      await expect(history(page).locator('li[data-kind="note"]').count()).resolves.toBe(1);
      const noteStyle = await history(page).locator('li[data-kind="note"] article').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).borderStyle);
      const inboundStyle = await history(page).locator('li[data-kind="inbound"] article').first().evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).borderStyle);
      expect(noteStyle).not.toBe(inboundStyle);
      await shot(page, 'case-internal-note');

      await new Promise((r) => setTimeout(r, 500));
      expect(byoc.received.length).toBe(callbacks);
      expect((await messagesOf(t, admin, caseId)).at(-1)).toMatchObject({ internal: true, content: { text: 'VIP customer, handle with care' } });
    } finally {
      await context.close();
    }
  });

  it('changes the status from the header and with the e shortcut, and the list follows', async () => {
    const { caseId } = await byocMessage('Sam Status', { text: 'Status please' });
    const { context, page } = await signIn(await browser.get(), t, AGENT.email, AGENT.password);
    try {
      await openCase(page, 'Sam Status');
      const status = page.getByLabel('Case status');
      await status.selectOption('pending');
      await waitFor(async () => (await t.http.get(`/api/v1/cases/${caseId}`, admin)).body.status === 'pending', 20_000, 'pending');
      await expect(caseOption(page, 'Sam Status').getAttribute('data-status')).resolves.toBe('pending');

      await history(page).click();
      await page.keyboard.press('e');
      await waitFor(async () => (await t.http.get(`/api/v1/cases/${caseId}`, admin)).body.status === 'resolved', 20_000, 'resolved');
      // "Active" does not list resolved cases.
      await waitFor(async () => (await caseOption(page, 'Sam Status').count()) === 0, 20_000, 'resolved case left the list');
      await expect(status.inputValue()).resolves.toBe('resolved');
    } finally {
      await context.close();
    }
  });

  it('reconnects by itself after losing its socket and shows what was sent meanwhile, once', async () => {
    const { caseId } = await byocMessage('Olga Offline', { text: 'First message' });
    const { context, page } = await signIn(await browser.get(), t, AGENT.email, AGENT.password);
    try {
      await openCase(page, 'Olga Offline');
      // Mid-conversation: a message arrives live first.
      await byocMessage('Olga Offline', { text: 'Live before the drop' });
      await history(page).getByText('Live before the drop').waitFor();

      const catchUps: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/api/v1/events?after=')) catchUps.push(request.url());
      });
      await context.setOffline(true);
      await page.getByRole('status', { name: 'Connection: Reconnecting…' }).waitFor();

      await byocMessage('Olga Offline', { text: 'Sent while you were away' });
      await byocMessage('Olga Offline', { text: 'And a second one' });
      expect((await t.http.post(`/api/v1/cases/${caseId}/messages`, { content: { text: 'Supervisor stepped in' } }, admin)).status).toBe(201);
      await new Promise((r) => setTimeout(r, 500));
      expect(await history(page).getByText('Sent while you were away').count()).toBe(0);

      await context.setOffline(false);
      await page.getByRole('status', { name: 'Connection: Live' }).waitFor();
      for (const text of ['Sent while you were away', 'And a second one', 'Supervisor stepped in']) await history(page).getByText(text).waitFor();
      expect(catchUps.length).toBeGreaterThan(0);
      expect(Number(new URL(catchUps[0]!).searchParams.get('after'))).toBeGreaterThan(0);
      // Nothing shown twice, in the server's order.
      const texts = await history(page).locator('.content__text').allTextContents();
      expect(texts).toEqual(['First message', 'Live before the drop', 'Sent while you were away', 'And a second one', 'Supervisor stepped in']);
      await expect(history(page).getAttribute('aria-live')).resolves.toBe('polite');
    } finally {
      await context.close();
    }
  });

  it("shows a customer's postback (a click, or a typed option number on SMS) in the agent's view", async () => {
    const { caseId } = await byocMessage('Pablo Postback', { text: 'Options please' });
    const smsCase = await sms('+14155550181', 'Options by SMS please');
    const { context, page } = await signIn(await browser.get(), t, AGENT.email, AGENT.password);
    try {
      await openCase(page, 'Pablo Postback');
      expect((await t.http.post(`/api/v1/cases/${caseId}/messages`, { content: { text: 'Pick one', buttons: [{ title: 'Refund', payload: 'REFUND' }, { title: 'Track', payload: 'TRACK' }] } }, admin)).status).toBe(201);
      await history(page).getByText('Pick one').waitFor();
      await byocMessage('Pablo Postback', { postback: { payload: 'TRACK', title: 'Track' } });
      const click = history(page).getByRole('article', { name: 'From Pablo Postback' }).filter({ hasText: 'Selected' });
      await click.waitFor();
      await expect(click.textContent()).resolves.toMatch(/Selected\s*Track\s*TRACK/);
      await shot(page, 'case-postback');

      await openCase(page, '+14155550181');
      expect((await t.http.post(`/api/v1/cases/${smsCase}/messages`, { content: { text: 'Pick one', buttons: [{ title: 'Refund', payload: 'REFUND' }, { title: 'Track', payload: 'TRACK' }] } }, admin)).status).toBe(201);
      await history(page).getByText('Pick one').waitFor();
      await sms('+14155550181', '2');
      await history(page).getByRole('article', { name: /^From/ }).filter({ hasText: 'Selected' }).filter({ hasText: 'TRACK' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('works from the keyboard: ? help, j/k and Enter in the list, r to reply, Ctrl+Enter to send; a reload keeps the open case', async () => {
    await byocMessage('Kim Keys', { text: 'Keyboard first' });
    await byocMessage('Kai Keys', { text: 'Keyboard second' });
    const { context, page } = await signIn(await browser.get(), t, AGENT.email, AGENT.password);
    try {
      await caseOption(page, 'Kai Keys').waitFor();
      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await help.waitFor();
      for (const action of ['Next / previous case in the list', 'Send the reply or note', 'Resolve the open case']) await help.getByText(action).waitFor();
      await shot(page, 'help-dialog');
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'hidden' });

      // Newest first: Kai, then Kim.
      const selected = page.getByRole('listbox', { name: 'Cases' }).getByRole('option', { selected: true });
      await expect(selected.textContent()).resolves.toContain('Kai Keys');
      await page.keyboard.press('j');
      await expect(selected.textContent()).resolves.toContain('Kim Keys');
      await page.keyboard.press('k');
      await page.keyboard.press('j');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2, name: 'Kim Keys' }).waitFor();
      expect(new URL(page.url()).pathname).toMatch(/^\/cases\/[0-9a-f-]{36}$/);

      await page.keyboard.press('r');
      await expect(page.locator('#reply-text').evaluate((el) => el === el.ownerDocument.activeElement)).resolves.toBe(true);
      await page.keyboard.type('Typed without a mouse');
      await page.keyboard.press('Control+Enter');
      await history(page).getByText('Typed without a mouse').waitFor();

      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Kim Keys' }).waitFor();
      await history(page).getByText('Typed without a mouse').waitFor();
    } finally {
      await context.close();
    }
  });

  // --- Routing: availability, transfer, offers, queues ---------------------------------------

  it('[routing] lets an agent switch between available and unavailable with a reason', async () => {
    expect((await t.http.post('/api/v1/idle-reasons', { code: 'lunch', label: 'Lunch' }, admin)).status).toBe(201);
    const { context, page } = await signIn(await browser.get(), t, AGENT.email, AGENT.password);
    try {
      const token = await t.http.login(AGENT.email, AGENT.password);
      await page.getByLabel('Availability').selectOption('available');
      await waitFor(async () => (await t.http.get('/api/v1/agents/me/state', token)).body.state === 'available', 20_000, 'available');
      await page.getByLabel('Availability').selectOption({ label: 'Unavailable — Lunch' });
      await waitFor(async () => {
        const state = (await t.http.get('/api/v1/agents/me/state', token)).body;
        return state.state === 'unavailable' && state.reasonCode === 'lunch';
      }, 20_000, 'unavailable (lunch)');
    } finally {
      await context.close();
    }
  });

  it('[routing] transfers a case to another queue with a note', async () => {
    const { caseId } = await byocMessage('Tomás Transfer', { text: 'This is about my bill' });
    const { context, page } = await signIn(await browser.get(), t);
    try {
      await openCase(page, 'Tomás Transfer');
      await page.keyboard.press('t');
      const dialog = page.getByRole('dialog', { name: 'Transfer case' });
      await dialog.waitFor();
      await dialog.getByLabel('Transfer to').selectOption({ label: 'billing' });
      await dialog.getByLabel('Note for the next agent (optional)').fill('Billing question');
      await dialog.getByRole('button', { name: 'Transfer' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await waitFor(async () => (await t.http.get(`/api/v1/cases/${caseId}`, admin)).body.skillId === billingSkill, 20_000, 'case in billing');
      await page.getByText('Queue: billing').waitFor();
      // Routing records the transfer in the history; the note travels with it.
      await history(page).getByText(/transferred this case .*billing.*Billing question/).waitFor();
    } finally {
      await context.close();
    }
  });

  it('[routing] offers a case to an available agent, who accepts it from the case view', async () => {
    // A queue of its own, so that no earlier case holds this agent's capacity.
    const vip = (await t.http.post('/api/v1/skills', { name: 'vip' }, admin)).body.id;
    const agent = { email: 'vip-agent@test.local', password: 'vip-agent-password', name: 'Vera VIP' };
    expect((await t.http.post('/api/v1/users', { ...agent, role: 'agent', skillIds: [vip] }, admin)).status).toBe(201);
    const channel = await t.http.post('/api/v1/channels', { type: 'byoc', name: 'VIP', defaultSkillId: vip, config: { callbackUrl: 'http://127.0.0.1:9/unused' } }, admin);
    secrets.set(channel.body.id, channel.body.secret);
    const { context, page } = await signIn(await browser.get(), t, agent.email, agent.password);
    try {
      await page.getByLabel('Availability').selectOption('available');
      await page.locator('.agent-state--available').waitFor();
      const { caseId } = await byocMessage('Olivia Offer', { text: 'I need help now' }, channel.body.id);
      await openCase(page, 'Olivia Offer');
      const offer = page.getByRole('alert').filter({ hasText: 'This case is offered to you.' });
      await offer.waitFor();
      await shot(page, 'case-offer');
      await offer.getByRole('button', { name: 'Accept' }).click();
      await page.getByText('Assigned to you').waitFor();
      await waitFor(async () => (await t.http.get(`/api/v1/cases/${caseId}`, admin)).body.assigneeId !== null, 20_000, 'assigned');
      const me = (await t.http.get(`/api/v1/cases/${caseId}`, admin)).body;
      expect(me.routing.state).toBe('assigned');
    } finally {
      await context.close();
    }
  });

  it('[routing] shows supervisors the queues and the agents', async () => {
    await byocMessage('Quinn Queued', { text: 'Waiting in line' });
    const { context, page } = await signIn(await browser.get(), t);
    try {
      await page.getByRole('link', { name: 'Queues' }).click();
      const queues = page.getByRole('table', { name: 'Queues' });
      const support = queues.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'support' }) });
      await support.waitFor();
      await waitFor(async () => Number(await support.getByTestId('queue-length').textContent()) >= 1, 15_000, 'support queue length');
      await page.getByRole('table', { name: 'Agents' }).getByRole('rowheader', { name: AGENT.name }).waitFor();
      await shot(page, 'queues');
    } finally {
      await context.close();
    }
  });
});
