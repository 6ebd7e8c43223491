import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Provider } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';

// Integration tests run the real server over real HTTP on a real database: embedded PGlite by
// default, or a fresh PostgreSQL database per test app when DATABASE_URL is set (dropped on stop).

export const ADMIN = { email: 'admin@test.local', password: 'admin-password-1' };
export const PLATFORM_TOKEN = 'platform-token-for-tests-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  dataDir: string;
  logs: () => string;
  // The server's error lines (pino level 50 and up): what explains an unexpected 5xx.
  errors: () => string[];
  stop: (options?: { keepData?: boolean }) => Promise<void>;
  http: Http;
}

export interface StartOptions {
  dataDir?: string;
  env?: Record<string, string>;
  databaseUrl?: string;
  // Replace providers by token (an SDK's boundary, e.g. the whatsapp-web.js client factory).
  overrides?: Provider[];
  // Where the built agent app is served from (default: dist/web).
  webAppDir?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function createDatabase(): Promise<string | undefined> {
  const base = process.env.DATABASE_URL;
  if (!base) return undefined;
  const name = `parley_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(url: string): Promise<void> {
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
  await admin.end();
}

export async function startApp(options: StartOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-test-'));
  const databaseUrl = options.databaseUrl ?? (await createDatabase());
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    PLATFORM_TOKEN,
    SMTP_PORT: '0',
    LOG_LEVEL: 'info',
    OUTBOUND_POLL_MS: '100',
    OUTBOUND_BASE_DELAY_MS: '100',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  });
  let captured = '';
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      captured += chunk.toString();
      // TEST_LOGS=1 shows the server's logs while debugging a suite.
      if (process.env.TEST_LOGS) process.stderr.write(chunk);
      done();
    },
  });
  const app = await createApp(config, { logStream, overrides: options.overrides, webAppDir: options.webAppDir });
  await app.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    dataDir,
    logs: () => captured,
    errors: () => captured.split('\n').filter((line) => /"level":(50|60)\b/.test(line)),
    http: new Http(url),
    stop: async ({ keepData } = {}) => {
      await app.close();
      if (keepData) return;
      if (databaseUrl && !options.databaseUrl) await dropDatabase(databaseUrl);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

// No request waits forever: a server that stopped answering fails the test instead of hanging it.
export const REQUEST_TIMEOUT_MS = 60_000;

export class Http {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, options: { body?: unknown; raw?: string | Buffer; token?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.baseUrl + path, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
      text = await res.text();
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') throw new Error(`${method} ${path}: no answer within ${timeoutMs} ms`);
      throw error;
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  }

  get = <T = any>(path: string, token?: string) => this.request<T>('GET', path, { token });
  post = <T = any>(path: string, body: unknown, token?: string, headers?: Record<string, string>) => this.request<T>('POST', path, { body, token, headers });
  patch = <T = any>(path: string, body: unknown, token?: string) => this.request<T>('PATCH', path, { body, token });
  delete = <T = any>(path: string, token?: string) => this.request<T>('DELETE', path, { token });

  async login(email = ADMIN.email, password = ADMIN.password): Promise<string> {
    const res = await this.post('/api/v1/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
    return res.body.accessToken as string;
  }
}
