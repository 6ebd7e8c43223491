import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { verifyByocSignature } from '../../channels/byoc/byoc.signature';
import { verifySlackSignature } from '../../channels/slack/slack.signature';
import { verifyTelegramSecret } from '../../channels/telegram/telegram.signature';
import { serveStats, signalReady } from '../lib/child-side';
import { acknowledge, type BaselineChannel, channelOf, type Inbound, loadChannels, openPool, parseInbound, readBody, reply } from './common';

// B1, the ceiling baseline: raw node:http, each provider's signature verified with node:crypto
// (timing-safe comparisons), requests micro-batched into one multi-row INSERT every ~2 ms or 200
// rows; each request is answered after its batch commits.
const MAX_ROWS = 200;
const MAX_WAIT_MS = 2;

interface Pending {
  m: Inbound;
  provider: BaselineChannel['provider'];
  res: ServerResponse;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// Throws (BYOC, Slack, Telegram: the project's verifiers, node:crypto underneath) or returns
// false when the request is not signed by the channel's provider.
function verified(channel: BaselineChannel, req: IncomingMessage, raw: Buffer, publicUrl: string): boolean {
  switch (channel.provider) {
    case 'byoc':
      verifyByocSignature(channel.secret, header(req, 'x-parley-timestamp'), header(req, 'x-parley-signature'), raw);
      return true;
    case 'slack':
      verifySlackSignature(channel.secret, header(req, 'x-slack-request-timestamp'), header(req, 'x-slack-signature'), raw);
      return true;
    case 'telegram':
      verifyTelegramSecret(channel.secret, header(req, 'x-telegram-bot-api-secret-token'));
      return true;
    case 'whatsapp': {
      // sha256=<hex HMAC-SHA256(app secret, raw body)>
      const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header(req, 'x-hub-signature-256') ?? '');
      return match !== null && timingSafeEqual(Buffer.from(match[1]!, 'hex'), createHmac('sha256', channel.secret).update(raw).digest());
    }
    case 'sms': {
      // base64 HMAC-SHA1(auth token, public URL + each form field name and value, names sorted).
      const signature = Buffer.from(header(req, 'x-twilio-signature') ?? '');
      const params = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
      const hmac = createHmac('sha1', channel.secret).update(`${publicUrl}${req.url ?? ''}`);
      for (const name of Object.keys(params).sort()) hmac.update(name).update(params[name]!);
      const expected = Buffer.from(hmac.digest('base64'));
      return signature.length === expected.length && timingSafeEqual(signature, expected);
    }
  }
}

async function main(): Promise<void> {
  const pool = await openPool();
  const channels = loadChannels();
  // Twilio signs the URL it was given, i.e. the public one.
  const publicUrl = process.env.PUBLIC_URL ?? '';
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    void write(batch);
  };

  const write = async (batch: Pending[]) => {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (const p of batch) {
      const i = values.length;
      values.push(p.m.channelId, p.m.messageId, p.m.contactId, p.m.body);
      rows.push(`($${i + 1}, $${i + 2}, $${i + 3}, $${i + 4})`);
    }
    try {
      const ins = await pool.query<{ id: string; channel_id: string; provider_message_id: string }>(
        `INSERT INTO inbound_messages (channel_id, provider_message_id, contact_id, body) VALUES ${rows.join(', ')}
         ON CONFLICT (channel_id, provider_message_id) DO NOTHING RETURNING id, channel_id, provider_message_id`,
        values,
      );
      const fresh = new Map(ins.rows.map((r) => [`${r.channel_id}\u0000${r.provider_message_id}`, r.id]));
      const missing = batch.filter((p) => !fresh.has(`${p.m.channelId}\u0000${p.m.messageId}`));
      const old = new Map<string, string>();
      if (missing.length) {
        const found = await pool.query<{ id: string; channel_id: string; provider_message_id: string }>(
          'SELECT id, channel_id, provider_message_id FROM inbound_messages WHERE provider_message_id = ANY($1::text[])',
          [missing.map((p) => p.m.messageId)],
        );
        for (const r of found.rows) old.set(`${r.channel_id}\u0000${r.provider_message_id}`, r.id);
      }
      const answered = new Set<string>();
      for (const p of batch) {
        const key = `${p.m.channelId}\u0000${p.m.messageId}`;
        const id = fresh.get(key);
        // Two copies in one batch: the first is the original, the rest duplicates.
        if (id !== undefined && !answered.has(key)) {
          answered.add(key);
          acknowledge(p.res, p.provider, id, false);
        } else acknowledge(p.res, p.provider, id ?? old.get(key) ?? null, true);
      }
    } catch {
      for (const p of batch) reply(p.res, 503, { code: 'UNAVAILABLE' });
    }
  };

  const server = createServer((req, res) => {
    readBody(req).then((raw) => {
      const channel = channelOf(channels, req.url);
      if (req.method !== 'POST' || !channel) return reply(res, 404, { code: 'NOT_FOUND' });
      let ok = false;
      try {
        ok = verified(channel, req, raw, publicUrl);
      } catch {
        ok = false;
      }
      if (!ok) return reply(res, 401, { code: 'INVALID_SIGNATURE' });
      const m = parseInbound(channel, raw);
      if (!m) return reply(res, 400, { code: 'MALFORMED_PAYLOAD' });
      queue.push({ m, provider: channel.provider, res });
      if (queue.length >= MAX_ROWS) flush();
      else timer ??= setTimeout(flush, MAX_WAIT_MS);
    }, () => reply(res, 400, {}));
  });
  server.keepAliveTimeout = 60_000;
  const port = Number(process.env.PORT);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  serveStats(async () => {
    server.close();
    await pool.end();
  });
  signalReady(port);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
