import { z } from 'zod';
import { attachmentSchema, CONTENT_LIMITS, contentSchema, type Content } from '../../src/content/content.schema';
import { PayloadError, type InboundEvent, type OutboundMessage } from '../channel-adapter.port';

// Translates between the BYOC wire format (API.md §5) and Parley's events. The format is ours, so
// it is validated strictly where it matters (ids, content) and leniently elsewhere: unknown keys
// are ignored and null reads as absent, as integrators in most languages serialise missing values.

const MAX_ID_LENGTH = 200;

// `null` and "" mean "not sent".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === null || value === '' ? undefined : value), schema.optional());

// Ids are opaque strings; numeric ids (database keys) are accepted and kept as their decimal text.
const externalId = z
  .union([z.string(), z.number().int().nonnegative()], {
    error: (issue) => (issue.input === undefined ? 'Required' : 'Must be a string'),
  })
  .transform(String)
  .pipe(z.string().trim().min(1, 'Must not be empty').max(MAX_ID_LENGTH, `At most ${MAX_ID_LENGTH} characters`));

const senderSchema = z.object({
  id: externalId,
  name: optional(z.string().trim().max(256)),
  email: optional(z.email('Must be an email address')),
  phone: optional(z.string().trim().max(64)),
});

const inboundMessageSchema = z.object({
  type: z.literal('message'),
  messageId: externalId,
  threadId: optional(externalId),
  from: senderSchema,
  timestamp: optional(z.iso.datetime({ offset: true, error: 'Must be an ISO-8601 date-time with a UTC offset' })),
  // Checked as a whole below, once the top-level attachments are merged in.
  content: optional(z.record(z.string(), z.unknown(), { error: 'Must be an object' })),
  attachments: optional(z.array(attachmentSchema).max(CONTENT_LIMITS.maxAttachments)),
});

const statusSchema = z.object({
  type: z.literal('status'),
  // Parley's id of the outbound message, as sent in the callback.
  messageId: z.guid('Must be the Parley message id sent in the callback (a UUID)'),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  error: optional(z.string().trim().max(2000)),
  // Not in the contract; kept when an integrator sends its own id along.
  externalId: optional(externalId),
});

const webhookSchema = z.discriminatedUnion('type', [inboundMessageSchema, statusSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'Must be "message" or "status"' : undefined),
});

export function parseByocWebhook(rawBody: Buffer, now: Date): InboundEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new PayloadError('Body is not valid JSON');
  }
  const payload = check(webhookSchema, json);

  if (payload.type === 'status') {
    return [
      {
        kind: 'status',
        messageId: payload.messageId,
        status: payload.status,
        ...(payload.error !== undefined && { error: payload.error }),
        ...(payload.externalId !== undefined && { externalId: payload.externalId }),
      },
    ];
  }

  // Attachments may come at the top level (the documented form) or inside content; both end up in
  // content.attachments, the content's own first.
  const content = payload.content ?? {};
  const own: unknown = content.attachments;
  let withAttachments = content;
  // Anything but a list inside content is left for the content schema to report.
  if (payload.attachments !== undefined && (own === undefined || Array.isArray(own))) {
    withAttachments = { ...content, attachments: [...(Array.isArray(own) ? own : []), ...payload.attachments] };
  }
  const merged = check(contentSchema, withAttachments, 'content');

  const { from } = payload;
  return [
    {
      kind: 'message',
      providerMessageId: payload.messageId,
      ...(payload.threadId !== undefined && { threadKey: payload.threadId }),
      from: {
        address: from.id,
        ...(from.name !== undefined && { name: from.name }),
        ...(from.email !== undefined && { email: from.email }),
        ...(from.phone !== undefined && { phone: from.phone }),
      },
      timestamp: payload.timestamp !== undefined ? new Date(payload.timestamp) : now,
      content: merged,
    },
  ];
}

// The body of an outbound callback.
export interface ByocCallbackBody {
  messageId: string;
  caseId: string;
  threadId: string | null;
  to: { id: string };
  content: Content;
}

export function toByocCallback(message: OutboundMessage): ByocCallbackBody {
  return {
    messageId: message.messageId,
    caseId: message.caseId,
    threadId: message.threadKey,
    to: { id: message.to.address },
    content: message.rendered,
  };
}

const callbackResponseSchema = z.object({
  externalId: z.string().trim().min(1).max(1000),
});

// The integrator's 2xx answer: `{"externalId": "…"}`. Returns undefined when it is anything else.
export function readCallbackResponse(body: string): string | undefined {
  try {
    const result = callbackResponseSchema.safeParse(JSON.parse(body));
    return result.success ? result.data.externalId : undefined;
  } catch {
    return undefined;
  }
}

// Validates with `schema` or throws a PayloadError naming the offending fields.
function check<T>(schema: z.ZodType<T>, input: unknown, prefix?: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new PayloadError(problems.join('; '));
}
