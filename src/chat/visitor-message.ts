import type { Content } from '../content/content.schema';
import type { AuthorType, MessageStatus } from '../messages/message.entity';

// A message as the visitor sees it: what was actually sent to them (after rendering), never an
// internal note, never agents' ids or provider details.
export interface VisitorMessageView {
  id: string;
  // The widget's own id for a message it sent (its dedupe key); null for agents' messages.
  clientMessageId: string | null;
  direction: 'inbound' | 'outbound';
  author: { type: AuthorType; name: string | null };
  content: Content;
  status: MessageStatus;
  createdAt: string;
}

// The row the chat queries read: a message with its case's visitor and its author's name.
export interface VisitorMessageRow {
  id: string;
  channel_id: string;
  visitor: string;
  direction: 'inbound' | 'outbound';
  internal: boolean;
  author_type: AuthorType;
  author_name: string | null;
  content: Content;
  rendered: Content | null;
  status: MessageStatus;
  provider_message_id: string | null;
  created_at: Date | string;
}

// The dedupe key of a visitor's message: their clientMessageId within their own address space,
// so two visitors may use the same ids and a resend never makes a second message.
export function visitorProviderMessageId(visitor: string, clientMessageId: string): string {
  return `${visitor}:${clientMessageId}`;
}

export function toVisitorMessage(row: VisitorMessageRow): VisitorMessageView {
  const prefix = `${row.visitor}:`;
  const own = row.direction === 'inbound' && row.provider_message_id?.startsWith(prefix);
  return {
    id: row.id,
    clientMessageId: own ? row.provider_message_id!.slice(prefix.length) : null,
    direction: row.direction,
    author: { type: row.author_type, name: row.author_name },
    content: row.direction === 'outbound' ? (row.rendered ?? row.content) : row.content,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
