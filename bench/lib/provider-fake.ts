import { createServer, type Server } from 'node:http';
import { SLACK_BOT_USER } from './webhook-formats';

// The providers' APIs, as far as the bench's channels call them: the channels' `apiBaseUrl`
// points here so that nothing leaves the machine. Creating the Telegram channel calls setWebhook
// (TelegramAdapter.onConfigured); no adapter calls its provider while ingesting the plain-text
// messages of the workload, and every call is recorded so that the ingest scenario can show it.
// Answers are the providers' documented success shapes.

export interface ProviderCall {
  method: string;
  path: string;
}

export interface ProviderFake {
  baseUrl: string;
  calls: ProviderCall[];
  close(): Promise<void>;
}

export async function startProviderFake(): Promise<ProviderFake> {
  const calls: ProviderCall[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      // The bot token is part of the path: record the method only.
      const telegram = /^\/bot[^/]+\/(\w+)$/.exec(path);
      calls.push({ method: req.method ?? 'GET', path: telegram ? `/bot<token>/${telegram[1]}` : path });
      const [status, body] = answer(telegram?.[1], path);
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function answer(telegramMethod: string | undefined, path: string): [number, unknown] {
  // https://core.telegram.org/bots/api#setwebhook, #answercallbackquery
  if (telegramMethod === 'setWebhook') return [200, { ok: true, result: true, description: 'Webhook was set' }];
  if (telegramMethod === 'answerCallbackQuery') return [200, { ok: true, result: true }];
  if (telegramMethod !== undefined) return [404, { ok: false, error_code: 404, description: 'Not Found: method not faked by the bench' }];
  // https://api.slack.com/methods/auth.test
  if (path === '/api/auth.test') return [200, { ok: true, url: 'https://bench.slack.com/', team: 'Bench', user: 'parley', team_id: 'T0AB1CD2E', user_id: SLACK_BOT_USER, bot_id: 'B0BENCH01' }];
  if (path.startsWith('/api/')) return [200, { ok: false, error: 'unknown_method' }];
  return [404, { error: { message: 'Not faked by the bench', code: 100 } }];
}
