import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import type { Provider } from '../lib/webhook-formats';

// Shared by the two raw node:http baselines: the same table, and the same answers as Parley gives
// each provider, so that the bench loads and checks all three servers alike: Twilio gets the
// empty TwiML Parley's adapter answers, every other provider Parley's default JSON
// {id, caseId, duplicate}.

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

export interface BaselineChannel {
  provider: Provider;
  channelId: string;
  // What verifies its webhooks (B1 only).
  secret: string;
}

// The bench passes the channels as BENCH_CHANNELS, a JSON array of BaselineChannel.
export function loadChannels(): Map<string, BaselineChannel> {
  const list = JSON.parse(process.env.BENCH_CHANNELS ?? '[]') as BaselineChannel[];
  return new Map(list.map((c) => [c.channelId, c]));
}

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

// The bytes Parley's Twilio adapter answers (EMPTY_TWIML in channels/sms/twilio-messaging.ts).
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

// A stored (or already stored) message, answered as Parley answers the provider.
export function acknowledge(res: ServerResponse, provider: Provider, id: string | null, duplicate: boolean): void {
  if (provider === 'sms') {
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(EMPTY_TWIML) });
    res.end(EMPTY_TWIML);
    return;
  }
  reply(res, 200, { id, caseId: null, duplicate });
}

// The channel named by `/webhooks/<channelId>`.
export function channelOf(channels: Map<string, BaselineChannel>, url: string | undefined): BaselineChannel | undefined {
  const m = /^\/webhooks\/([^/?]+)/.exec(url ?? '');
  return m ? channels.get(m[1]!) : undefined;
}

export interface Inbound {
  channelId: string;
  messageId: string;
  contactId: string;
  // What is stored as jsonb: the JSON body, or the form fields as a JSON object.
  body: string;
}

// Only the dedupe key and the sender of each provider's format (providers.md "Dedup keys"): Meta
// messages[].id and from, Twilio MessageSid and From, Telegram update_id and chat id, Slack
// event_id and event.user, BYOC messageId and from.id. Null when the body is not that format.
export function parseInbound(channel: BaselineChannel, raw: Buffer): Inbound | null {
  const text = raw.toString('utf8');
  if (channel.provider === 'sms') {
    const params = new URLSearchParams(text);
    const messageId = params.get('MessageSid');
    const from = params.get('From');
    if (!messageId || !from) return null;
    return { channelId: channel.channelId, messageId, contactId: from, body: JSON.stringify(Object.fromEntries(params)) };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  let messageId: unknown;
  let contactId: unknown;
  switch (channel.provider) {
    case 'whatsapp': {
      const message = at(body, 'entry', 0, 'changes', 0, 'value', 'messages', 0);
      messageId = at(message, 'id');
      contactId = at(message, 'from');
      break;
    }
    case 'telegram':
      messageId = at(body, 'update_id');
      contactId = at(body, 'message', 'chat', 'id');
      break;
    case 'slack':
      messageId = at(body, 'event_id');
      contactId = at(body, 'event', 'user');
      break;
    case 'byoc':
      messageId = at(body, 'messageId');
      contactId = at(body, 'from', 'id');
      break;
  }
  const id = typeof messageId === 'number' ? String(messageId) : messageId;
  const contact = typeof contactId === 'number' ? String(contactId) : contactId;
  if (typeof id !== 'string' || typeof contact !== 'string' || id === '' || contact === '') return null;
  return { channelId: channel.channelId, messageId: id, contactId: contact, body: text };
}

function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
