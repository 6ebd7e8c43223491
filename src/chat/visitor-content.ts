import { z } from 'zod';
import { DomainError } from '../common/errors';
import { parseOrThrow } from '../common/zod';
import { type Content, parseContent } from '../content/content.schema';

// What a visitor may send over `message.send`. The widget is an open client on someone else's
// page: visitors send plain text, postbacks (their clicks) and files they uploaded to us, never
// agent-only elements (buttons, cards…) nor links dressed up as attachments.

export const messageSendSchema = z.object({
  clientMessageId: z
    .string({ error: 'A clientMessageId is required' })
    .trim()
    .min(1, 'A clientMessageId is required')
    .max(100, 'At most 100 characters'),
  content: z.unknown(),
});

export type MessageSend = z.infer<typeof messageSendSchema>;

const VISITOR_ELEMENTS = new Set(['text', 'format', 'postback', 'attachments']);

export function parseMessageSend(input: unknown, isOwnUpload: (url: string) => boolean): { clientMessageId: string; content: Content } {
  const { clientMessageId, content: raw } = parseOrThrow(messageSendSchema, input ?? {});
  const content = parseContent(raw);
  for (const key of Object.keys(content)) {
    if (!VISITOR_ELEMENTS.has(key)) invalid(`content.${key}`, 'Visitors send text, postbacks and attachments only');
  }
  if (content.format !== undefined && content.format !== 'plain') invalid('content.format', 'Visitors send plain text');
  content.attachments?.forEach((attachment, index) => {
    if (!isOwnUpload(attachment.url)) invalid(`content.attachments.${index}.url`, 'Upload the file first (POST /api/v1/chat/{channelId}/attachments)');
  });
  delete content.format;
  return { clientMessageId, content };
}

function invalid(field: string, message: string): never {
  throw new DomainError('INVALID_CONTENT', `${field}: ${message}`, [{ field, message }]);
}
