import { createServer } from 'node:http';
import { serveStats, signalReady } from '../lib/child-side';
import { acknowledge, channelOf, loadChannels, openPool, parseInbound, readBody, reply } from './common';

// B0, the naive baseline: raw node:http, a pg Pool, one INSERT per request, no signature check.
// Reads each provider's format (the channel in the URL says which) for its message id and sender.
// Idempotent on (channel, provider message id) so that redeliveries answer like Parley's.
async function main(): Promise<void> {
  const pool = await openPool();
  const channels = loadChannels();
  const server = createServer((req, res) => {
    readBody(req).then(async (raw) => {
      const channel = channelOf(channels, req.url);
      if (req.method !== 'POST' || !channel) return reply(res, 404, { code: 'NOT_FOUND' });
      const m = parseInbound(channel, raw);
      if (!m) return reply(res, 400, { code: 'MALFORMED_PAYLOAD' });
      try {
        const ins = await pool.query<{ id: string }>(
          `INSERT INTO inbound_messages (channel_id, provider_message_id, contact_id, body) VALUES ($1, $2, $3, $4)
           ON CONFLICT (channel_id, provider_message_id) DO NOTHING RETURNING id`,
          [m.channelId, m.messageId, m.contactId, m.body],
        );
        if (ins.rows[0]) return acknowledge(res, channel.provider, ins.rows[0].id, false);
        const old = await pool.query<{ id: string }>('SELECT id FROM inbound_messages WHERE channel_id = $1 AND provider_message_id = $2', [m.channelId, m.messageId]);
        acknowledge(res, channel.provider, old.rows[0]?.id ?? null, true);
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
