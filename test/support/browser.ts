import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ADMIN, type TestApp } from './test-app';

// Browser suites drive Debian's Chromium through playwright-core (no browser download).

export const ARTIFACTS = join(__dirname, '..', 'artifacts');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// For describe(…, { skip }): a machine without Chromium skips the browser suites, saying why.
export const withoutChromium: string | false = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM} (CHROMIUM_PATH)`;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// One browser for a suite, started again if it went away (a crash, or a shared machine that
// reaped it), so that one lost browser fails one test rather than all that follow.
export class SuiteBrowser {
  private browser: Browser | null = null;

  async get(): Promise<Browser> {
    if (!this.browser?.isConnected()) this.browser = await launchBrowser();
    return this.browser;
  }

  async close(): Promise<void> {
    await this.browser?.close();
  }
}

export interface AgentPage {
  context: BrowserContext;
  page: Page;
}

// A fresh browser profile signed in through the login form.
export async function signIn(browser: Browser, t: TestApp, email = ADMIN.email, password = ADMIN.password): Promise<AgentPage> {
  const context = await browser.newContext({ baseURL: t.url, viewport: { width: 1400, height: 900 }, timezoneId: 'UTC', locale: 'en-US' });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status', { name: 'Connection: Live' }).waitFor();
  return { context, page };
}
