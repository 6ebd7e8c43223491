import { createServer } from 'node:http';
import { serveStats, signalReady } from '../lib/child-side';
import { openPool, parseInbound, readBody, reply } from './common';

// B0, the naive baseline: raw node:http, a pg Pool, one INSERT per request, no signature check.
// Idempotent on (channel, messageId) so that replays answer duplicate: true like Parley.
async function main(): Promise<void> {
  const pool = await openPool();
  const server = createServer((req, res) => {
    readBody(req).then(async (raw) => {
      const m = parseInbound(req.url, raw);
      if (req.method !== 'POST' || !m) return reply(res, 400, { code: 'MALFORMED_PAYLOAD' });
      try {
        const ins = await pool.query<{ id: string }>(
          `INSERT INTO inbound_messages (channel_id, provider_message_id, contact_id, body) VALUES ($1, $2, $3, $4)
           ON CONFLICT (channel_id, provider_message_id) DO NOTHING RETURNING id`,
          [m.channelId, m.messageId, m.contactId, m.raw],
        );
        if (ins.rows[0]) return reply(res, 200, { id: ins.rows[0].id, caseId: null, duplicate: false });
        const old = await pool.query<{ id: string }>('SELECT id FROM inbound_messages WHERE channel_id = $1 AND provider_message_id = $2', [m.channelId, m.messageId]);
        reply(res, 200, { id: old.rows[0]?.id ?? null, caseId: null, duplicate: true });
      } catch {
        reply(res, 503, { code: 'UNAVAILABLE' });
      }
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
