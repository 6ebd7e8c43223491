import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';
import { serveStats, signalReady } from './lib/child-side';

// The real server, as `npm start` builds it, in a bench child process. Everything comes from the
// environment (DATABASE_URL, PORT, PUBLIC_URL, ADMIN_EMAIL, ADMIN_PASSWORD, LOG_LEVEL); the bench
// talks to it over HTTP like any client, and reads CPU/memory/event-loop figures over IPC (no
// route is added to the app).
async function main(): Promise<void> {
  const env = { ...process.env };
  env.DATA_DIR ??= mkdtempSync(join(tmpdir(), 'parley-bench-data-'));
  env.SMTP_PORT ??= '0';
  const config = loadConfig(env);
  const app = await createApp(config);
  await app.listen({ port: config.port, host: '127.0.0.1' });
  serveStats(() => app.close());
  signalReady(config.port);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
