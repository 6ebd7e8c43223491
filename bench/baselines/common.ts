import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';

// Shared by the two raw node:http baselines: the same table, the same answer shape as Parley's
// BYOC webhook ({id, caseId, duplicate}) so that the bench checks all three servers alike.

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS inbound_messages (
  id bigserial PRIMARY KEY,
  channel_id text NOT NULL,
  provider_message_id text NOT NULL,
  contact_id text NOT NULL,
  body jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel_id, provider_message_id)
)`;

export async function openPool(): Promise<Pool> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BENCH_POOL_SIZE ?? 10) });
  await pool.query(SCHEMA);
  return pool;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export interface Inbound {
  channelId: string;
  messageId: string;
  contactId: string;
  raw: string;
}

export function parseInbound(url: string | undefined, raw: Buffer): Inbound | null {
  const m = /^\/webhooks\/([^/?]+)/.exec(url ?? '');
  if (!m) return null;
  let body: any;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof body?.messageId !== 'string' || typeof body?.from?.id !== 'string') return null;
  return { channelId: m[1]!, messageId: body.messageId, contactId: body.from.id, raw: raw.toString('utf8') };
}
