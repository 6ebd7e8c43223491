import type { Content } from '../content/content.schema';
import type { AuthorType, MessageEntity, MessageStatus } from './message.entity';

export interface MessageView {
  id: string;
  caseId: string;
  direction: 'inbound' | 'outbound';
  internal: boolean;
  author: { type: AuthorType; id: string | null };
  content: Content;
  rendered: Content | null;
  status: MessageStatus;
  externalId: string | null;
  error: string | null;
  segments: number | null;
  // An inbound message written by a machine (auto-reply, bounce): automatic replies skip it.
  automated: boolean;
  createdAt: string;
}

export function toMessageView(m: MessageEntity): MessageView {
  return {
    id: m.id,
    caseId: m.caseId,
    direction: m.direction,
    internal: m.internal,
    author: { type: m.authorType, id: m.authorId },
    content: m.content,
    rendered: m.rendered,
    status: m.status,
    externalId: m.externalId,
    error: m.error,
    segments: m.segments,
    automated: m.automated ?? false,
    createdAt: new Date(m.createdAt).toISOString(),
  };
}

// One line for the inbox list.
export function previewOf(content: Content): string {
  const text = content.postback?.title ?? content.postback?.payload ?? content.text ?? content.listPicker?.title ?? content.timePicker?.title ?? content.cards?.[0]?.title ?? content.richLink?.title ?? content.richLink?.url ?? content.template?.name;
  if (text) return text.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (content.attachments?.length) return `[${content.attachments.length} attachment${content.attachments.length > 1 ? 's' : ''}]`;
  if (content.adaptiveCard) return '[card]';
  return '';
}

// Delivery statuses only move forward: a late `sent` never undoes `read`. `failed` may follow
// queued or sent, never a confirmed delivery.
export const STATUS_RANK: Record<MessageStatus, number> = { received: 0, queued: 0, sent: 1, failed: 1.5, delivered: 2, read: 3 };
