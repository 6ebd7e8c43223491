import type { ChatMessage, Content } from './protocol';

// The conversation as shown: server messages by id, plus the visitor's own messages still on
// their way (keyed by clientMessageId until the server's copy replaces them).
export interface PendingMessage {
  clientMessageId: string;
  content: Content;
  createdAt: string;
  state: 'sending' | 'failed';
  error?: string;
}

export type Entry = { kind: 'message'; message: ChatMessage } | { kind: 'pending'; pending: PendingMessage };

export class Conversation {
  private readonly messages = new Map<string, ChatMessage>();
  private readonly pending = new Map<string, PendingMessage>();

  // Returns whether anything changed.
  upsert(message: ChatMessage): boolean {
    const known = this.messages.get(message.id);
    if (message.clientMessageId) this.pending.delete(message.clientMessageId);
    if (known && known.status === message.status && JSON.stringify(known.content) === JSON.stringify(message.content)) return false;
    this.messages.set(message.id, message);
    return true;
  }

  addPending(pending: PendingMessage): void {
    const delivered = [...this.messages.values()].some((m) => m.clientMessageId === pending.clientMessageId);
    if (!delivered) this.pending.set(pending.clientMessageId, pending);
  }

  fail(clientMessageId: string, error: string): void {
    const pending = this.pending.get(clientMessageId);
    if (pending) this.pending.set(clientMessageId, { ...pending, state: 'failed', error });
  }

  has(id: string): boolean {
    return this.messages.has(id);
  }

  // Server messages in time order, then what is still pending.
  entries(): Entry[] {
    const sorted = [...this.messages.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const pending = [...this.pending.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return [...sorted.map((message): Entry => ({ kind: 'message', message })), ...pending.map((p): Entry => ({ kind: 'pending', pending: p }))];
  }

  latest(): ChatMessage | undefined {
    const entries = this.entries().filter((e): e is Extract<Entry, { kind: 'message' }> => e.kind === 'message');
    return entries[entries.length - 1]?.message;
  }
}
