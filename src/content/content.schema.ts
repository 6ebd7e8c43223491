import { z } from 'zod';
import { parseOrThrow } from '../common/zod';

// Channel-neutral rich content (API.md §7). Agents, bots and BYOC integrators send it; the
// renderer degrades it per channel. Unknown keys are stripped rather than rejected so that
// integrators may send extensions without breaking (API.md: "extend freely, never break").

// Limits every channel can live with; channel-specific limits are applied at render time and
// degrade to text instead of failing.
export const CONTENT_LIMITS = {
  maxTextLength: 100_000, // requests are capped at 1 MiB anyway (MAX_BODY_BYTES)
  maxTitleLength: 256,
  maxSubtitleLength: 512,
  maxOptions: 100, // buttons, quick replies, list items, time slots, each
  maxCards: 20,
  maxCardButtons: 10,
  maxAttachments: 20,
  maxPayloadBytes: 1000,
  maxUrlLength: 2048,
  maxSlotMinutes: 24 * 60,
  maxAdaptiveCardBytes: 40_000, // Teams rejects activities above ~40 KB of card JSON
  maxTemplateParameters: 100,
} as const;

// What the text is written in. Clients send plain, markdown or html; the renderer may answer with
// a channel's own dialect (what was actually sent), so the rendered Content uses the same type.
export const TEXT_FORMATS = [
  'plain',
  'markdown',
  'html',
  'slack-mrkdwn',
  'telegram-markdownv2',
  'whatsapp',
  'teams',
] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

const L = CONTENT_LIMITS;

const title = z
  .string({ error: 'A title is required' })
  .trim()
  .min(1, 'A title is required')
  .max(L.maxTitleLength, `At most ${L.maxTitleLength} characters`);

const subtitle = z.string().trim().max(L.maxSubtitleLength, `At most ${L.maxSubtitleLength} characters`);

const payload = z
  .string({ error: 'A payload is required' })
  .min(1, 'A payload is required')
  .refine((value) => Buffer.byteLength(value, 'utf8') <= L.maxPayloadBytes, {
    message: `At most ${L.maxPayloadBytes} bytes`,
  });

// Absolute http(s) URLs only: javascript:, data: and friends never reach a customer. Whitespace
// is refused because fallback text relies on the URL being one auto-linkable token.
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'Must be an absolute http(s) URL' })
  .max(L.maxUrlLength, `At most ${L.maxUrlLength} characters`)
  .refine((value) => !/[\s\u0000-\u001f\u007f]/.test(value), { message: 'URLs cannot contain whitespace' });

const options = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item).min(1, `At least one ${what}`).max(L.maxOptions, `At most ${L.maxOptions} ${what}s`);

export const buttonSchema = z
  .object({ title, payload: payload.optional(), url: httpUrl.optional() })
  .refine((button) => button.payload !== undefined || button.url !== undefined, {
    message: 'A button needs a payload or a url',
  });

export const quickReplySchema = z.object({ title, payload });

export const cardSchema = z.object({
  title,
  subtitle: subtitle.optional(),
  imageUrl: httpUrl.optional(),
  buttons: z.array(buttonSchema).max(L.maxCardButtons, `At most ${L.maxCardButtons} buttons per card`).optional(),
});

export const listPickerSchema = z.object({
  title,
  items: options(z.object({ title, subtitle: subtitle.optional(), payload }), 'item'),
});

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// A slot is an instant: it needs its UTC offset (or Z) so that it means the same in every zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const timeSlotSchema = z.object({
  start: z
    .string()
    .refine((value) => ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)), {
      message: 'Must be an ISO-8601 date-time with a UTC offset, e.g. 2026-11-20T10:00:00Z',
    }),
  durationMinutes: z
    .number()
    .int('Whole minutes')
    .min(1, 'At least 1 minute')
    .max(L.maxSlotMinutes, `At most ${L.maxSlotMinutes} minutes`),
});

export const timePickerSchema = z.object({
  title,
  timezone: z.string().refine(isTimeZone, { message: 'Must be an IANA time zone, e.g. Europe/Madrid' }),
  slots: options(timeSlotSchema, 'slot'),
});

export const richLinkSchema = z.object({ url: httpUrl, title: title.optional(), imageUrl: httpUrl.optional() });

// The card itself is the Adaptive Card schema's business; we check what we rely on (its type,
// that body and actions are lists of typed elements) and its size, and keep every other field.
const adaptiveElement = z.looseObject({ type: z.string().min(1) });
export const adaptiveCardSchema = z
  .looseObject({
    type: z.literal('AdaptiveCard', { error: 'type must be "AdaptiveCard"' }),
    version: z.string().regex(/^\d+(\.\d+)?$/, 'A version like "1.5"').optional(),
    body: z.array(adaptiveElement).optional(),
    actions: z.array(adaptiveElement).optional(),
  })
  .refine((card) => JSON.stringify(card).length <= L.maxAdaptiveCardBytes, {
    message: `At most ${L.maxAdaptiveCardBytes} characters of JSON`,
  });

const templateParameter = z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown())]);

export const templateSchema = z.object({
  name: z.string().trim().min(1, 'A template name is required').max(512),
  language: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/, 'A language code like en_US or pt-BR'),
  parameters: z.array(templateParameter).max(L.maxTemplateParameters).optional(),
});

export const attachmentSchema = z.object({
  url: httpUrl,
  contentType: z
    .string()
    .trim()
    .regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, 'A MIME type like image/png'),
  name: z.string().trim().min(1).max(255).optional(),
});

export const postbackSchema = z.object({ payload, title: title.optional() });

export const contentSchema = z
  .object({
    text: z.string().max(L.maxTextLength, `At most ${L.maxTextLength} characters`).optional(),
    format: z.enum(TEXT_FORMATS).optional(),
    buttons: options(buttonSchema, 'button').optional(),
    quickReplies: options(quickReplySchema, 'quick reply').optional(),
    cards: z.array(cardSchema).min(1, 'At least one card').max(L.maxCards, `At most ${L.maxCards} cards`).optional(),
    listPicker: listPickerSchema.optional(),
    timePicker: timePickerSchema.optional(),
    richLink: richLinkSchema.optional(),
    adaptiveCard: adaptiveCardSchema.optional(),
    template: templateSchema.optional(),
    attachments: z
      .array(attachmentSchema)
      .min(1, 'At least one attachment')
      .max(L.maxAttachments, `At most ${L.maxAttachments} attachments`)
      .optional(),
    postback: postbackSchema.optional(),
  })
  .refine((content) => hasElement(content), {
    message: 'Content needs text or at least one element',
  })
  // PostgreSQL's jsonb cannot hold U+0000: refused here as invalid input (400) rather than
  // failing the insert later (500, and a provider retrying forever).
  .refine((content) => !containsNul(content), {
    message: 'Text must not contain NUL characters (U+0000)',
  });

export type Content = z.infer<typeof contentSchema>;

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.values(value).some(containsNul);
  return false;
}
export type Button = z.infer<typeof buttonSchema>;
export type QuickReply = z.infer<typeof quickReplySchema>;
export type Card = z.infer<typeof cardSchema>;
export type ListPicker = z.infer<typeof listPickerSchema>;
export type TimePicker = z.infer<typeof timePickerSchema>;
export type TimeSlot = z.infer<typeof timeSlotSchema>;
export type RichLink = z.infer<typeof richLinkSchema>;
export type AdaptiveCard = z.infer<typeof adaptiveCardSchema>;
export type Template = z.infer<typeof templateSchema>;
export type Attachment = z.infer<typeof attachmentSchema>;
export type Postback = z.infer<typeof postbackSchema>;

// `format` alone says nothing; whitespace-only text is as empty as no text.
function hasElement(content: Record<string, unknown>): boolean {
  return Object.entries(content).some(([key, value]) => {
    if (key === 'format' || value === undefined) return false;
    if (key === 'text') return typeof value === 'string' && value.trim() !== '';
    return true;
  });
}

// Validates API input; errors name the offending field as `content.buttons.0.title`.
export function parseContent(input: unknown): Content {
  return parseOrThrow(contentSchema, input, { prefix: 'content', code: 'INVALID_CONTENT' });
}
