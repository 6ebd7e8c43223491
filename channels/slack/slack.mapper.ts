import { z } from 'zod';
import { CONTENT_LIMITS, contentSchema, escapeSlack, slotTitle, type Content } from '../../src/content';
import { PayloadError, type InboundEvent, type WebhookResult } from '../channel-adapter.port';

// Slack wire format ⇄ Parley events. One webhook URL receives both the Events API (JSON) and
// interactivity (form-encoded `payload=<json>`), as API.md §5 requires.
// https://api.slack.com/apis/events-api · https://api.slack.com/interactivity/handling#payloads

// ---------------------------------------------------------------------------------------------
// Conversation addressing.
//
// A case belongs to (contact, threadKey). The contact's address is the Slack user id (U…), so one
// person is one contact whichever channel they write from. The Slack conversation the reply must
// go to is carried by the threadKey instead, as `<channel id>` or `<channel id>:<thread ts>`:
//  - a direct message (channel_type "im") outside a thread is one running conversation: key
//    `D…`, replies go to the DM top level;
//  - anything in a thread, or a top-level message in a shared channel (which would otherwise
//    mix every customer's conversation), is keyed by its thread root `C…:<root ts>`; replies go
//    into that thread (`thread_ts`), so the customer's follow-ups there join the same case.
// Channel ids never contain ":" and ts values never do either, so the key splits unambiguously.
// ---------------------------------------------------------------------------------------------

export interface SlackConversation {
  channel: string;
  threadTs?: string;
}

export function slackThreadKey(conversation: SlackConversation): string {
  return conversation.threadTs ? `${conversation.channel}:${conversation.threadTs}` : conversation.channel;
}

// The conversation an outbound message goes to. Without a key (a case opened by other means) the
// user id itself is a valid chat.postMessage `channel`: Slack then posts to the bot's DM with them.
// https://api.slack.com/methods/chat.postMessage#channels
export function slackConversationOf(threadKey: string | null, userId: string): SlackConversation {
  if (!threadKey) return { channel: userId };
  const colon = threadKey.indexOf(':');
  if (colon < 0) return { channel: threadKey };
  return { channel: threadKey.slice(0, colon), threadTs: threadKey.slice(colon + 1) };
}

// IM channel ids start with "D" (https://api.slack.com/docs/conversations-api#shared_channels).
function isDirectMessage(channel: string, channelType?: string): boolean {
  return channelType !== undefined ? channelType === 'im' : channel.startsWith('D');
}

// ---------------------------------------------------------------------------------------------
// Inbound payloads. Validated leniently: Slack adds fields freely and sends null for absent ones
// (providers.md §4 "TypeScript note").
// ---------------------------------------------------------------------------------------------

const opt = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === null ? undefined : value), schema.optional());
const id = z.string().min(1).max(255);

const urlVerificationSchema = z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(1000) });

const fileSchema = z.object({
  name: opt(z.string()),
  mimetype: opt(z.string()),
  permalink: opt(z.string()),
  url_private: opt(z.string()),
});

// @slack/types GenericMessageEvent and its subtypes.
const messageEventSchema = z.object({
  type: z.literal('message'),
  subtype: opt(z.string()),
  channel: id,
  channel_type: opt(z.string()),
  user: opt(id),
  bot_id: opt(z.string()),
  text: opt(z.string()),
  ts: id,
  thread_ts: opt(id),
  files: opt(z.array(fileSchema)),
});

const eventCallbackSchema = z.object({
  type: z.literal('event_callback'),
  event_id: id,
  event: z.looseObject({ type: z.string() }),
  authorizations: opt(z.array(z.object({ user_id: opt(z.string()), is_bot: opt(z.boolean()) }))),
});

const plainText = z.object({ text: z.string() });

// Bolt dist/types/actions/block-action.d.ts
const blockActionSchema = z.object({
  type: z.string(),
  action_ts: id,
  value: opt(z.string()),
  url: opt(z.string()),
  text: opt(plainText),
  selected_option: opt(z.object({ value: z.string(), text: opt(plainText) })),
  selected_date: opt(z.string()),
  selected_time: opt(z.string()),
});

const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id, name: opt(z.string()), username: opt(z.string()) }),
  container: opt(
    z.object({ type: z.string(), message_ts: opt(id), channel_id: opt(id), thread_ts: opt(id), is_ephemeral: opt(z.boolean()) }),
  ),
  channel: opt(z.object({ id, name: opt(z.string()) })),
  actions: z.array(blockActionSchema),
});

// Message subtypes that are still something a person wrote to us; every other subtype is an edit,
// a deletion, a join, a bot post… and is ignored. https://api.slack.com/events/message#subtypes
const CUSTOMER_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

export function parseSlackWebhook(rawBody: Buffer, contentType: string | undefined): WebhookResult {
  const text = rawBody.toString('utf8');
  // Interactivity arrives form-encoded with a single `payload` field; events are JSON.
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) throw new PayloadError('Form body has no "payload" field');
    return { events: parseInteraction(parseJson(payload)) };
  }
  const json = parseJson(text);
  const type = typeof json === 'object' && json !== null && 'type' in json ? json.type : undefined;
  if (type === 'url_verification') {
    // https://api.slack.com/events/url_verification: answer with the challenge.
    const { challenge } = check(urlVerificationSchema, json);
    return { events: [], reply: { status: 200, body: JSON.stringify({ challenge }), contentType: 'application/json' } };
  }
  if (type === 'event_callback') return { events: parseEventCallback(check(eventCallbackSchema, json)) };
  // app_rate_limited and future envelope types: acknowledged, nothing to store.
  if (typeof type === 'string') return { events: [] };
  throw new PayloadError('Not a Slack event or interaction payload');
}

function parseEventCallback(envelope: z.infer<typeof eventCallbackSchema>): InboundEvent[] {
  if (envelope.event.type !== 'message') return [];
  const event = check(messageEventSchema, envelope.event, 'event');
  if (event.subtype !== undefined && !CUSTOMER_SUBTYPES.has(event.subtype)) return [];
  // Our own posts come back as events too: drop anything a bot wrote, ours first of all.
  // https://api.slack.com/events/message/bot_message
  const botUsers = new Set((envelope.authorizations ?? []).filter((a) => a.is_bot !== false).flatMap((a) => (a.user_id ? [a.user_id] : [])));
  if (event.bot_id !== undefined || event.user === undefined || botUsers.has(event.user)) return [];

  const content = messageContent(event);
  if (!content) return [];
  const direct = isDirectMessage(event.channel, event.channel_type);
  // A top-level message in a shared channel starts its own thread (see "Conversation addressing").
  const threadTs = event.thread_ts ?? (direct ? undefined : event.ts);
  return [
    {
      kind: 'message',
      // Slack redelivers an event with the same event_id (X-Slack-Retry-Num): the core's dedupe
      // on this key absorbs retries. https://api.slack.com/apis/events-api#retries
      providerMessageId: envelope.event_id,
      threadKey: slackThreadKey({ channel: event.channel, ...(threadTs !== undefined && { threadTs }) }),
      from: { address: event.user },
      timestamp: tsToDate(event.ts),
      content,
    },
  ];
}

function messageContent(event: z.infer<typeof messageEventSchema>): Content | undefined {
  const text = event.text !== undefined ? unescapeSlack(event.text).trim() : '';
  // Slack files are private to the workspace: their permalink opens them for a signed-in agent.
  const attachments = (event.files ?? []).flatMap((file) => {
    const url = file.permalink ?? file.url_private;
    if (!url || !/^https?:\/\/\S+$/.test(url)) return [];
    return [{ url, contentType: file.mimetype && /^[\w.+-]+\/[\w.+-]+$/.test(file.mimetype) ? file.mimetype : 'application/octet-stream', ...(file.name ? { name: file.name.slice(0, 255) } : {}) }];
  }).slice(0, CONTENT_LIMITS.maxAttachments);
  if (text === '' && attachments.length === 0) return undefined;
  const content: Content = {
    ...(text !== '' && { text: text.slice(0, CONTENT_LIMITS.maxTextLength) }),
    ...(attachments.length > 0 && { attachments }),
  };
  return contentSchema.safeParse(content).success ? content : text !== '' ? { text } : undefined;
}

function parseInteraction(json: unknown): InboundEvent[] {
  const type = typeof json === 'object' && json !== null && 'type' in json ? json.type : undefined;
  // view_submission, shortcuts…: nothing we offered, acknowledged and ignored.
  if (type !== 'block_actions') return [];
  const payload = check(blockActionsSchema, json, 'payload');
  const container = payload.container;
  const channel = container?.channel_id ?? payload.channel?.id;
  const events: InboundEvent[] = [];
  for (const action of payload.actions) {
    const answer = actionAnswer(action);
    if (!answer) continue;
    // The clicked message's thread (ours are posted in the customer's thread, or the DM top level).
    const threadTs = container?.thread_ts ?? (channel && !isDirectMessage(channel) ? container?.message_ts : undefined);
    events.push({
      kind: 'message',
      // One click is one action_ts on one message.
      providerMessageId: `${container?.message_ts ?? 'action'}:${action.action_ts}`,
      ...(channel !== undefined && { threadKey: slackThreadKey({ channel, ...(threadTs !== undefined && { threadTs }) }) }),
      from: { address: payload.user.id, ...(payload.user.name && { name: payload.user.name }) },
      timestamp: tsToDate(action.action_ts),
      content: { postback: answer },
    });
  }
  return events;
}

// What a click answers with. A link button without a value only opened a page.
function actionAnswer(action: z.infer<typeof blockActionSchema>): { payload: string; title?: string } | undefined {
  const title = action.text?.text;
  let answer: { payload: string; title?: string } | undefined;
  if (action.selected_option) answer = { payload: action.selected_option.value, ...(action.selected_option.text && { title: action.selected_option.text.text }) };
  else if (action.value) answer = { payload: action.value, ...(title && { title }) };
  else if (action.selected_date) answer = { payload: action.selected_date, title: action.selected_date };
  else if (action.selected_time) answer = { payload: action.selected_time, title: action.selected_time };
  if (!answer) return undefined;
  const trimmedTitle = answer.title?.trim().slice(0, CONTENT_LIMITS.maxTitleLength);
  return { payload: answer.payload, ...(trimmedTitle && { title: trimmedTitle }) };
}

// "1794302120.123459" → the instant it names (seconds with microseconds).
function tsToDate(ts: string): Date {
  const seconds = Number(ts);
  return Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)) : new Date();
}

// Slack escapes only these three in message text (https://api.slack.com/reference/surfaces/formatting#escaping).
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PayloadError('Body is not valid JSON');
  }
}

function check<T>(schema: z.ZodType<T>, input: unknown, prefix?: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new PayloadError(problems.join('; '));
}

// ---------------------------------------------------------------------------------------------
// Outbound: rendered Content → chat.postMessage arguments (Block Kit).
// https://api.slack.com/reference/block-kit/blocks · limits from @slack/types (providers.md §4)
// ---------------------------------------------------------------------------------------------

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  selectOptions: 100,
  optionText: 75,
  optionValue: 75,
  altText: 2000,
  // chat.postMessage truncates `text` beyond 40,000 characters.
  fallbackText: 40_000,
  // Time slots shown as buttons up to this many; more become a select menu.
  slotButtons: 5,
} as const;

type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
type Mrkdwn = { type: 'mrkdwn'; text: string };
type SlackButton = { type: 'button'; action_id: string; text: PlainText; value?: string; url?: string };
type SlackOption = { text: PlainText; value: string; description?: PlainText };
type SlackSelect = { type: 'static_select'; action_id: string; placeholder: PlainText; options: SlackOption[] };
type SlackImage = { type: 'image'; image_url: string; alt_text: string };
export type SlackBlock =
  | { type: 'section'; text: Mrkdwn; accessory?: SlackSelect | SlackImage }
  | { type: 'actions'; elements: Array<SlackButton | SlackSelect> }
  | { type: 'image'; image_url: string; alt_text: string; title?: PlainText };

export interface SlackPostMessage {
  channel: string;
  thread_ts?: string;
  // The notification text, required alongside blocks.
  text: string;
  blocks: SlackBlock[];
  unfurl_links: boolean;
}

interface OptionLike {
  title: string;
  payload?: string;
  url?: string;
}

export function toSlackMessage(rendered: Content, conversation: SlackConversation, locale?: string): SlackPostMessage {
  const blocks: SlackBlock[] = [];
  let actionSeq = 0;
  const nextActionId = (kind: string) => `parley_${kind}_${++actionSeq}`;
  const button = (option: OptionLike): SlackButton => ({
    type: 'button',
    action_id: nextActionId('button'),
    text: plain(option.title, SLACK_LIMITS.buttonText),
    // The value is what block_actions hands back: the option's payload (a link button's is its URL).
    ...((option.payload ?? option.url) !== undefined && { value: truncate(option.payload ?? option.url ?? '', SLACK_LIMITS.buttonValue) }),
    ...(option.url !== undefined && { url: option.url }),
  });
  const pushButtons = (options: readonly OptionLike[]) => {
    for (let i = 0; i < options.length; i += SLACK_LIMITS.actionsElements) {
      blocks.push({ type: 'actions', elements: options.slice(i, i + SLACK_LIMITS.actionsElements).map(button) });
    }
  };
  const select = (placeholder: string, options: SlackOption[]): SlackSelect => ({
    type: 'static_select',
    action_id: nextActionId('select'),
    placeholder: plain(placeholder, SLACK_LIMITS.optionText),
    options: options.slice(0, SLACK_LIMITS.selectOptions),
  });

  for (const chunk of chunkText(rendered.text ?? '', SLACK_LIMITS.sectionText)) blocks.push(section(chunk));

  if (rendered.buttons) pushButtons(rendered.buttons);
  // Not native on Slack (the renderer turns them into buttons); handled anyway for robustness.
  if (rendered.quickReplies) pushButtons(rendered.quickReplies);

  if (rendered.listPicker) {
    const list = rendered.listPicker;
    blocks.push({
      ...section(`*${escapeSlack(list.title)}*`),
      accessory: select(
        list.title,
        list.items.map((item) => ({
          text: plain(item.title, SLACK_LIMITS.optionText),
          value: item.payload,
          ...(item.subtitle && { description: plain(item.subtitle, SLACK_LIMITS.optionText) }),
        })),
      ),
    });
  }

  if (rendered.timePicker) {
    const picker = rendered.timePicker;
    const slots = picker.slots.map((slot) => ({ title: slotTitle(slot, picker.timezone, locale), payload: slot.start }));
    // A few slots read best as buttons; a longer list as a menu. Either way the payload is the
    // slot's start as written, like the text fallback's.
    if (slots.length <= SLACK_LIMITS.slotButtons) {
      blocks.push(section(`*${escapeSlack(picker.title)}*`));
      pushButtons(slots);
    } else {
      blocks.push({
        ...section(`*${escapeSlack(picker.title)}*`),
        accessory: select(picker.title, slots.map((slot) => ({ text: plain(slot.title, SLACK_LIMITS.optionText), value: slot.payload }))),
      });
    }
  }

  for (const card of rendered.cards ?? []) {
    const lines = [`*${escapeSlack(card.title)}*`, ...(card.subtitle ? [escapeSlack(card.subtitle)] : [])];
    blocks.push({
      ...section(lines.join('\n')),
      ...(card.imageUrl && { accessory: { type: 'image', image_url: card.imageUrl, alt_text: truncate(card.title, SLACK_LIMITS.altText) } }),
    });
    if (card.buttons?.length) pushButtons(card.buttons);
  }

  if (rendered.richLink) {
    const link = rendered.richLink;
    blocks.push({
      ...section(`<${link.url}|${escapeSlack(link.title ?? link.url)}>`),
      ...(link.imageUrl && { accessory: { type: 'image', image_url: link.imageUrl, alt_text: truncate(link.title ?? link.url, SLACK_LIMITS.altText) } }),
    });
  }

  // chat.postMessage cannot attach files by URL: images show as image blocks, the rest as links.
  for (const attachment of rendered.attachments ?? []) {
    const label = attachment.name ?? attachment.url;
    if (attachment.contentType.startsWith('image/')) {
      blocks.push({ type: 'image', image_url: attachment.url, alt_text: truncate(label, SLACK_LIMITS.altText) });
    } else {
      blocks.push(section(`<${attachment.url}|${escapeSlack(label)}>`));
    }
  }

  return {
    channel: conversation.channel,
    ...(conversation.threadTs !== undefined && { thread_ts: conversation.threadTs }),
    text: truncate(fallbackText(rendered), SLACK_LIMITS.fallbackText),
    blocks,
    // Our links are deliberate; Slack's unfurls would duplicate cards and rich links.
    unfurl_links: false,
  };
}

// The notification / screen-reader text: the message text, else the first title we can find.
function fallbackText(rendered: Content): string {
  const candidates = [
    rendered.text,
    rendered.listPicker?.title,
    rendered.timePicker?.title,
    rendered.cards?.[0]?.title,
    rendered.richLink?.title ?? rendered.richLink?.url,
    rendered.buttons?.[0]?.title,
    rendered.attachments?.[0]?.name ?? rendered.attachments?.[0]?.url,
  ];
  return candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '') ?? ' ';
}

function section(text: string): { type: 'section'; text: Mrkdwn } {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function plain(text: string, max: number): PlainText {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

// Section text is capped at 3000 characters: cut at the last line break (or space) before it.
export function chunkText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut <= 0) cut = rest.lastIndexOf(' ', max);
    if (cut <= 0) cut = max;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') chunks.push(rest);
  return chunks;
}
