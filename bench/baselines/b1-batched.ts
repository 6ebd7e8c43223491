import { createServer, type ServerResponse } from 'node:http';
import { verifyByocSignature } from '../../channels/byoc/byoc.signature';
import { serveStats, signalReady } from '../lib/child-side';
import { type Inbound, openPool, parseInbound, readBody, reply } from './common';

// B1, the ceiling baseline: raw node:http, BYOC signature verified, requests micro-batched into
// one multi-row INSERT every ~2 ms or 200 rows; each request is answered after its batch commits.
const MAX_ROWS = 200;
const MAX_WAIT_MS = 2;

interface Pending {
  m: Inbound;
  res: ServerResponse;
}

async function main(): Promise<void> {
  const pool = await openPool();
  const secret = process.env.BENCH_SECRET ?? '';
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
      values.push(p.m.channelId, p.m.messageId, p.m.contactId, p.m.raw);
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
          reply(p.res, 200, { id, caseId: null, duplicate: false });
        } else reply(p.res, 200, { id: id ?? old.get(key) ?? null, caseId: null, duplicate: true });
      }
    } catch {
      for (const p of batch) reply(p.res, 503, { code: 'UNAVAILABLE' });
    }
  };

  const server = createServer((req, res) => {
    readBody(req).then((raw) => {
      const ts = req.headers['x-parley-timestamp'];
      const sig = req.headers['x-parley-signature'];
      try {
        verifyByocSignature(secret, Array.isArray(ts) ? ts[0] : ts, Array.isArray(sig) ? sig[0] : sig, raw);
      } catch {
        return reply(res, 401, { code: 'INVALID_SIGNATURE' });
      }
      const m = parseInbound(req.url, raw);
      if (req.method !== 'POST' || !m) return reply(res, 400, { code: 'MALFORMED_PAYLOAD' });
      queue.push({ m, res });
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
