import type { Content } from './protocol';

// What survives a page reload, per channel: the visitor token (which restores the conversation)
// and the outbox of messages not yet acknowledged, resent with the same clientMessageId (the
// server stores a resend once).
export interface OutboxEntry {
  clientMessageId: string;
  content: Content;
  createdAt: string;
}

export class SessionStore {
  private readonly prefix: string;

  constructor(channelId: string) {
    this.prefix = `parley.chat.${channelId}`;
  }

  get token(): string | null {
    return read(`${this.prefix}.token`);
  }

  set token(value: string | null) {
    write(`${this.prefix}.token`, value);
  }

  get outbox(): OutboxEntry[] {
    try {
      const parsed: unknown = JSON.parse(read(`${this.prefix}.outbox`) ?? '[]');
      return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
    } catch {
      return [];
    }
  }

  set outbox(entries: OutboxEntry[]) {
    write(`${this.prefix}.outbox`, entries.length ? JSON.stringify(entries) : null);
  }
}

// Storage may be unavailable (privacy modes, sandboxed frames): the chat then lasts one page view.
const memory = new Map<string, string>();

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    if (value === null) memory.delete(key);
    else memory.set(key, value);
  }
}

export function newClientMessageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Non-secure contexts (plain http pages) have no randomUUID.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
