import { z } from 'zod';
import { CONTENT_LIMITS, contentSchema, type Button, type Content } from '../../src/content';
import { PayloadError, type InboundEvent } from '../channel-adapter.port';

// Bot Framework Activity ⇄ Parley events (providers.md §5).
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object

// ---------------------------------------------------------------------------------------------
// Conversation reference.
//
// A reply must be POSTed to the activity's serviceUrl (regional, and the only valid endpoint for
// that conversation), in the activity's conversation. The core hands send() the case's threadKey
// and the contact's address, so the threadKey carries both: `<serviceUrl>|<conversation id>`.
// serviceUrl is an absolute URL (no "|"); conversation ids ("a:…", "19:…@thread.tacv2;messageid=…")
// may contain ":" and ";" but the split is on the first "|". The address is the Teams user id
// (`from.id`, "29:…"), the id the Bot Connector knows the person by in this bot.
// ---------------------------------------------------------------------------------------------

export interface TeamsConversationRef {
  serviceUrl: string;
  conversationId: string;
}

export function teamsThreadKey(ref: TeamsConversationRef): string {
  return `${ref.serviceUrl}|${ref.conversationId}`;
}

export function teamsConversationOf(threadKey: string | null): TeamsConversationRef | undefined {
  if (!threadKey) return undefined;
  const bar = threadKey.indexOf('|');
  if (bar <= 0 || bar === threadKey.length - 1) return undefined;
  return { serviceUrl: threadKey.slice(0, bar), conversationId: threadKey.slice(bar + 1) };
}

// ---------------------------------------------------------------------------------------------
// Inbound.
// ---------------------------------------------------------------------------------------------

const opt = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === null ? undefined : value), schema.optional());

const serviceUrlSchema = z
  .url({ protocol: /^https?$/, error: 'serviceUrl must be an absolute http(s) URL' })
  .max(2048)
  .refine((value) => !value.includes('|'), 'serviceUrl must not contain "|"');

// Only what verify() needs before the activity is trusted.
const envelopeSchema = z.looseObject({ serviceUrl: opt(z.string()), channelId: opt(z.string()) });

const activitySchema = z.looseObject({
  type: z.string().min(1),
  id: opt(z.string().min(1).max(512)),
  timestamp: opt(z.string()),
  serviceUrl: serviceUrlSchema,
  channelId: opt(z.string()),
  from: opt(z.looseObject({ id: z.string().min(1).max(512), name: opt(z.string()), aadObjectId: opt(z.string()), role: opt(z.string()) })),
  conversation: opt(z.looseObject({ id: z.string().min(1).max(1024) })),
  recipient: opt(z.looseObject({ id: z.string() })),
  text: opt(z.string()),
  value: opt(z.unknown()),
  attachments: opt(z.array(z.looseObject({ contentType: opt(z.string()), contentUrl: opt(z.string()), name: opt(z.string()) }))),
  entities: opt(z.array(z.looseObject({ type: opt(z.string()), mentioned: opt(z.looseObject({ id: opt(z.string()) })), text: opt(z.string()) }))),
});

export type TeamsActivity = z.infer<typeof activitySchema>;

// The fields verify() compares with the token, read without trusting anything else. A body that
// is not an activity has no serviceUrl, so the token cannot vouch for it (401).
export function readActivityEnvelope(rawBody: Buffer): { serviceUrl?: string; channelId?: string } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return {};
  }
  const result = envelopeSchema.safeParse(json);
  return result.success ? result.data : {};
}

export function parseTeamsActivity(rawBody: Buffer, now: Date): InboundEvent[] {
  const result = activitySchema.safeParse(parseJson(rawBody));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new PayloadError(`${issue.path.join('.') || 'activity'}: ${issue.message}`);
  }
  const activity = result.data;
  // conversationUpdate, typing, messageReaction, invoke…: acknowledged, nothing to store.
  if (activity.type !== 'message') return [];
  if (!activity.id || !activity.from || !activity.conversation) throw new PayloadError('A message activity needs id, from and conversation');
  // Another bot (or an echo of ours) is not a customer.
  if (activity.from.role === 'bot') return [];

  const content = activityContent(activity);
  if (!content) return [];
  const timestamp = activity.timestamp !== undefined ? new Date(activity.timestamp) : now;
  return [
    {
      kind: 'message',
      providerMessageId: activity.id,
      threadKey: teamsThreadKey({ serviceUrl: activity.serviceUrl, conversationId: activity.conversation.id }),
      from: { address: activity.from.id, ...(activity.from.name && { name: activity.from.name.slice(0, 256) }) },
      timestamp: Number.isNaN(timestamp.getTime()) ? now : timestamp,
      content,
    },
  ];
}

function activityContent(activity: TeamsActivity): Content | undefined {
  const text = stripBotMention(activity).trim();
  // An Adaptive Card Action.Submit, or a messageBack button, carries `value`: the action's data
  // merged with the card's inputs. Our own buttons send {payload}; any other card's data is kept
  // whole as JSON, as the renderer reads a card's submit payloads (src/content/adaptive-card.ts).
  // https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-actions#adaptive-cards-actions
  if (activity.value !== undefined && activity.value !== null) {
    const value = activity.value;
    const payload =
      typeof value === 'string'
        ? value
        : typeof value === 'object' && 'payload' in value && typeof value.payload === 'string'
          ? value.payload
          : JSON.stringify(value);
    if (payload === '' || Buffer.byteLength(payload, 'utf8') > CONTENT_LIMITS.maxPayloadBytes) {
      throw new PayloadError(`Submitted card data must be 1 to ${CONTENT_LIMITS.maxPayloadBytes} bytes`);
    }
    const title = text.slice(0, CONTENT_LIMITS.maxTitleLength).trim();
    return { postback: { payload, ...(title && { title }) } };
  }

  // Files and images sent by the user. Teams also attaches a text/html copy of rich text, and
  // cards; neither is a file.
  const attachments = (activity.attachments ?? [])
    .filter((a) => a.contentUrl && /^https?:\/\/\S+$/.test(a.contentUrl) && a.contentType && /^[\w.+-]+\/[\w.+-]+$/.test(a.contentType) && a.contentType !== 'text/html')
    .slice(0, CONTENT_LIMITS.maxAttachments)
    .map((a) => ({ url: a.contentUrl!, contentType: a.contentType!, ...(a.name && { name: a.name.slice(0, 255) }) }));
  if (text === '' && attachments.length === 0) return undefined;
  const content: Content = {
    ...(text !== '' && { text: text.slice(0, CONTENT_LIMITS.maxTextLength) }),
    ...(attachments.length > 0 && { attachments }),
  };
  return contentSchema.safeParse(content).success ? content : text !== '' ? { text } : undefined;
}

// In channels and group chats the text includes "<at>Bot</at>" for the mention that woke us.
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations#retrieve-mentions
function stripBotMention(activity: TeamsActivity): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  for (const entity of activity.entities ?? []) {
    if (entity.type === 'mention' && entity.mentioned?.id === botId && entity.text) text = text.split(entity.text).join('');
  }
  return text.replace(/\s{2,}/g, ' ');
}

function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new PayloadError('Body is not valid JSON');
  }
}

// ---------------------------------------------------------------------------------------------
// Outbound: rendered Content → an Activity (fixtures teams-reply-*.json, teams-send-activity.json).
// ---------------------------------------------------------------------------------------------

export const TEAMS_LIMITS = {
  // "Teams shows at most 3" suggested actions (suggested-actions.md).
  suggestedActions: 3,
  // Hero card buttons (cards-reference.md).
  heroButtons: 6,
} as const;

type CardAction =
  | { type: 'openUrl'; title: string; value: string }
  | { type: 'messageBack'; title: string; text: string; displayText: string; value: { payload: string } }
  | { type: 'imBack'; title: string; value: string };

interface Attachment {
  contentType: string;
  content: unknown;
}

export interface TeamsOutboundActivity {
  type: 'message';
  from?: { id: string };
  conversation: { id: string };
  recipient?: { id: string };
  textFormat: 'markdown';
  text?: string;
  attachmentLayout?: 'carousel' | 'list';
  attachments?: Attachment[];
  suggestedActions?: { to: string[]; actions: CardAction[] };
}

// A button the customer clicks posts back its payload as `value.payload` (messageBack), with its
// title as the text the conversation shows; a link button opens its URL.
function buttonAction(button: Pick<Button, 'title' | 'payload' | 'url'>): CardAction {
  if (button.url) return { type: 'openUrl', title: button.title, value: button.url };
  const payload = button.payload ?? button.title;
  return { type: 'messageBack', title: button.title, text: button.title, displayText: button.title, value: { payload } };
}

function heroCard(card: { title?: string; subtitle?: string; images?: { url: string }[]; buttons: CardAction[] }): Attachment {
  return { contentType: 'application/vnd.microsoft.card.hero', content: card };
}

export function toTeamsActivity(rendered: Content, ref: TeamsConversationRef, to: { address: string }, appId: string): TeamsOutboundActivity {
  const attachments: Attachment[] = [];

  if (rendered.adaptiveCard) {
    attachments.push({ contentType: 'application/vnd.microsoft.card.adaptive', content: rendered.adaptiveCard });
  }
  for (const card of rendered.cards ?? []) {
    attachments.push(
      heroCard({
        title: card.title,
        ...(card.subtitle && { subtitle: card.subtitle }),
        ...(card.imageUrl && { images: [{ url: card.imageUrl }] }),
        buttons: (card.buttons ?? []).slice(0, TEAMS_LIMITS.heroButtons).map(buttonAction),
      }),
    );
  }
  if (rendered.buttons?.length) {
    // Buttons without a card: a hero card holding only buttons, under the message text.
    for (let i = 0; i < rendered.buttons.length; i += TEAMS_LIMITS.heroButtons) {
      attachments.push(heroCard({ buttons: rendered.buttons.slice(i, i + TEAMS_LIMITS.heroButtons).map(buttonAction) }));
    }
  }

  // Suggested actions are "not supported on messages that have attachments": then the quick
  // replies become card buttons, which post back the same payloads.
  let suggestedActions: TeamsOutboundActivity['suggestedActions'];
  const replies = rendered.quickReplies ?? [];
  if (replies.length > 0 && attachments.length === 0 && replies.length <= TEAMS_LIMITS.suggestedActions) {
    // imBack posts the title as the customer's message (fixture teams-reply-suggested-actions.json);
    // the core resolves a typed or tapped title to the option's payload.
    suggestedActions = { to: [to.address], actions: replies.map((reply) => ({ type: 'imBack', title: reply.title, value: reply.title })) };
  } else if (replies.length > 0) {
    for (let i = 0; i < replies.length; i += TEAMS_LIMITS.heroButtons) {
      attachments.push(heroCard({ buttons: replies.slice(i, i + TEAMS_LIMITS.heroButtons).map(buttonAction) }));
    }
  }

  const text = rendered.text?.trim();
  const heroCount = attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.hero').length;
  return {
    type: 'message',
    from: { id: `28:${appId}` },
    conversation: { id: ref.conversationId },
    recipient: { id: to.address },
    textFormat: 'markdown',
    ...(text && { text }),
    // Several hero cards read as a carousel (cards-reference.md).
    ...(heroCount > 1 && { attachmentLayout: 'carousel' as const }),
    ...(attachments.length > 0 && { attachments }),
    ...(suggestedActions && { suggestedActions }),
  };
}
