import { z } from 'zod';
import type { Attachment, Content, Template } from '../../src/content/content.schema';
import { attachmentSchema } from '../../src/content/content.schema';
import { splitText } from '../../src/content/text-split';
import { PayloadError, type DeliveryStatus, type InboundEvent } from '../channel-adapter.port';

// WhatsApp Cloud API webhooks → Parley events, and Parley content → send-message bodies.
// Webhook reference: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
// Send reference: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages

export const GRAPH_API_BASE = 'https://graph.facebook.com';
// Pinned: Graph versions change payloads; bump deliberately.
export const GRAPH_API_VERSION = 'v21.0';

export const graphBase = (apiBaseUrl: string | undefined): string => `${(apiBaseUrl ?? GRAPH_API_BASE).replace(/\/+$/, '')}/${GRAPH_API_VERSION}`;

// Only what we read is declared; Meta adds fields without notice, so objects stay loose.
const mediaSchema = z.looseObject({ id: z.string().min(1), mime_type: z.string().optional(), caption: z.string().optional(), filename: z.string().optional() });

const messageSchema = z.looseObject({
  id: z.string().min(1),
  // Users with a WhatsApp username may come without a phone-based `from` (2026): the
  // business-scoped user id stands in. https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
  from: z.string().min(1).optional(),
  from_user_id: z.string().min(1).optional(),
  // Unix seconds as a string; the 24-hour reply window runs from it.
  timestamp: z.string().regex(/^\d+$/),
  type: z.string(),
  text: z.looseObject({ body: z.string() }).optional(),
  image: mediaSchema.optional(),
  document: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  video: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string().min(1), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string().min(1), title: z.string() }).optional(),
    })
    .optional(),
  // A quick-reply button of a template message.
  button: z.looseObject({ payload: z.string().min(1), text: z.string() }).optional(),
});

const statusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() })).optional(),
});

const contactSchema = z.looseObject({ wa_id: z.string().optional(), user_id: z.string().optional(), profile: z.looseObject({ name: z.string().optional() }).optional() });

const notificationSchema = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      changes: z.array(
        z.looseObject({
          field: z.string(),
          value: z.looseObject({
            contacts: z.array(contactSchema).optional(),
            messages: z.array(messageSchema).optional(),
            statuses: z.array(statusSchema).optional(),
          }),
        }),
      ),
    }),
  ),
});

type WaMessage = z.infer<typeof messageSchema>;
type WaContact = z.infer<typeof contactSchema>;

// Meta's status reference: `delivered` may be skipped when a message is read at once; `played`
// (voice) and `deleted` have no Parley status.
const STATUS_MAP: Readonly<Record<string, DeliveryStatus>> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

const MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;

export function parseCloudNotification(rawBody: Buffer, apiBaseUrl: string | undefined): InboundEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new PayloadError('Body is not valid JSON');
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PayloadError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  if (parsed.data.object !== 'whatsapp_business_account') throw new PayloadError('object: Must be "whatsapp_business_account"');

  const events: InboundEvent[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const { contacts = [], messages = [], statuses = [] } = change.value;
      for (const message of messages) events.push(messageEvent(message, contacts, apiBaseUrl));
      for (const status of statuses) {
        const mapped = STATUS_MAP[status.status];
        if (!mapped) continue;
        const first = status.errors?.[0];
        const error = mapped === 'failed' ? [first?.title ?? first?.message ?? 'Failed at WhatsApp', first?.code !== undefined ? `(${first.code})` : ''].join(' ').trim() : undefined;
        events.push({ kind: 'status', externalId: status.id, status: mapped, ...(error !== undefined && { error }) });
      }
    }
  }
  return events;
}

function messageEvent(message: WaMessage, contacts: WaContact[], apiBaseUrl: string | undefined): InboundEvent {
  const address = message.from ?? message.from_user_id;
  if (!address) throw new PayloadError('messages.from: Required');
  const contact = contacts.find((c) => (message.from !== undefined && c.wa_id === message.from) || (message.from_user_id !== undefined && c.user_id === message.from_user_id)) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const name = contact?.profile?.name?.trim();
  return {
    kind: 'message',
    providerMessageId: message.id,
    from: {
      address,
      ...(message.from !== undefined && /^\d{2,15}$/.test(message.from) && { phone: `+${message.from}` }),
      ...(name && { name }),
    },
    timestamp: new Date(Number(message.timestamp) * 1000),
    content: messageContent(message, apiBaseUrl),
  };
}

function messageContent(message: WaMessage, apiBaseUrl: string | undefined): Content {
  if (message.text) return { text: message.text.body };
  const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
  if (reply) return { postback: { payload: reply.id, ...(reply.title.trim() && { title: reply.title.trim() }) } };
  if (message.button) return { postback: { payload: message.button.payload, ...(message.button.text.trim() && { title: message.button.text.trim() }) } };
  for (const type of MEDIA_TYPES) {
    const media = message[type];
    if (!media) continue;
    // Media arrive as ids; the Graph media object's URL names them until prepare() resolves it.
    const attachment = attachmentSchema.safeParse({
      url: `${graphBase(apiBaseUrl)}/${encodeURIComponent(media.id)}`,
      contentType: media.mime_type ?? 'application/octet-stream',
      ...(media.filename && { name: media.filename }),
    });
    const content: Content = attachment.success ? { attachments: [attachment.data] } : {};
    if (media.caption?.trim()) content.text = media.caption;
    if (Object.keys(content).length > 0) return content;
  }
  if (message.location) {
    const { latitude, longitude, name, address } = message.location;
    const label = [name, address].filter(Boolean).join(', ');
    return { text: `Location: ${latitude}, ${longitude}${label ? ` (${label})` : ''}` };
  }
  return { text: `[Unsupported WhatsApp message: ${message.type}]` };
}

// The Graph media object ids named by attachments made in messageContent().
export function graphMediaId(attachment: Attachment, apiBaseUrl: string | undefined): string | undefined {
  const prefix = `${graphBase(apiBaseUrl)}/`;
  return attachment.url.startsWith(prefix) ? decodeURIComponent(attachment.url.slice(prefix.length)) : undefined;
}

// ---- Outbound ----

export type CloudSendBody = Record<string, unknown> & { messaging_product: 'whatsapp'; recipient_type: 'individual'; to: string; type: string };

const envelope = (to: string, type: string): CloudSendBody => ({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type });

// One rendered Content → the messages to post, in order: the text or interactive message first,
// then each attachment. The renderer already kept at most one interactive element (limits).
export function toCloudMessages(to: string, rendered: Content, maxTextLength = 4096): CloudSendBody[] {
  const bodies: CloudSendBody[] = [];
  const text = rendered.text?.trim() ? rendered.text : undefined;

  if (rendered.template) {
    bodies.push({ ...envelope(to, 'template'), template: templateBody(rendered.template) });
  } else if (rendered.listPicker) {
    const { listPicker } = rendered;
    bodies.push({
      ...envelope(to, 'interactive'),
      interactive: {
        type: 'list',
        body: { text: text ?? listPicker.title },
        action: {
          button: listPicker.title,
          sections: [{ rows: listPicker.items.map((item) => ({ id: item.payload, title: item.title, ...(item.subtitle && { description: item.subtitle }) })) }],
        },
      },
    });
  } else if (rendered.buttons || rendered.quickReplies) {
    // Reply buttons post back their id; URL buttons never get here (maxUrlButtons: 0).
    const options = rendered.buttons
      ? rendered.buttons.map((button) => ({ id: button.payload ?? button.url ?? button.title, title: button.title }))
      : rendered.quickReplies!.map((reply) => ({ id: reply.payload, title: reply.title }));
    bodies.push({
      ...envelope(to, 'interactive'),
      interactive: {
        type: 'button',
        body: { text: text ?? 'Choose an option' },
        action: { buttons: options.map((option) => ({ type: 'reply', reply: option })) },
      },
    });
  } else if (text || rendered.richLink) {
    // A rich link is its URL in the text, with WhatsApp's link preview.
    const link = rendered.richLink;
    const withLink = link && !(text ?? '').includes(link.url) ? [text ?? link.title, link.url].filter(Boolean).join('\n') : (text ?? '');
    for (const part of splitText(withLink, maxTextLength)) {
      bodies.push({ ...envelope(to, 'text'), text: { preview_url: link !== undefined, body: part } });
    }
  }

  for (const attachment of rendered.attachments ?? []) {
    const type = mediaType(attachment.contentType);
    bodies.push({
      ...envelope(to, type),
      [type]: { link: attachment.url, ...(type === 'document' && attachment.name && { filename: attachment.name }) },
    });
  }
  return bodies;
}

// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types
function mediaType(contentType: string): 'image' | 'video' | 'audio' | 'document' {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'image/jpeg' || type === 'image/png') return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'document';
}

// Plain parameters (strings, numbers) fill the body's {{1}}, {{2}}…; object parameters are
// components given as Meta spells them (a header, a quick-reply button's payload).
// https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
function templateBody(template: Template): Record<string, unknown> {
  const parameters = template.parameters ?? [];
  const bodyParameters = parameters.filter((p) => typeof p !== 'object').map((p) => ({ type: 'text', text: String(p) }));
  const components: unknown[] = [];
  if (bodyParameters.length > 0) components.push({ type: 'body', parameters: bodyParameters });
  components.push(...parameters.filter((p) => typeof p === 'object'));
  return { name: template.name, language: { code: template.language }, ...(components.length > 0 && { components }) };
}
