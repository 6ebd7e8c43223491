import { ByocAdapter } from './byoc/byoc.adapter';
import { byocDefinition } from './byoc/byoc.config';
import { CHANNEL_KINDS, type ChannelAdapter, type ChannelDefinition, type ChannelKind, type ChannelSender } from './channel-adapter.port';
import { ChatAdapter } from './chat/chat.adapter';
import { chatDefinition } from './chat/chat.config';
import { EmailAdapter } from './email/email.adapter';
import { emailDefinition } from './email/email.config';
import { SlackAdapter } from './slack/slack.adapter';
import { slackDefinition } from './slack/slack.config';
import { SmsAdapter } from './sms/sms.adapter';
import { smsDefinition } from './sms/sms.config';
import { TeamsAdapter } from './teams/teams.adapter';
import { teamsDefinition } from './teams/teams.config';
import { TelegramAdapter } from './telegram/telegram.adapter';
import { telegramDefinition } from './telegram/telegram.config';
import { WhatsappAdapter } from './whatsapp/whatsapp.adapter';
import { whatsappDefinition } from './whatsapp/whatsapp.config';

// The one place that maps a channel kind to its code. The core dispatches on ChannelKind through
// these tables, never on class names; each kind narrows its own config type inside its folder.

// A config as the core handles it: validated by the kind's schema, otherwise opaque.
export type ChannelConfig = Record<string, unknown>;
export type AnyChannelDefinition = ChannelDefinition<ChannelConfig>;
export type AnyChannelAdapter = ChannelAdapter<ChannelConfig>;
export type AnyChannelSender = ChannelSender<ChannelConfig>;

// Every kind can be configured (and listed by GET /api/v1/channel-types)…
export const CHANNEL_DEFINITIONS: Readonly<Record<ChannelKind, AnyChannelDefinition>> = {
  sms: smsDefinition,
  whatsapp: whatsappDefinition,
  telegram: telegramDefinition,
  slack: slackDefinition,
  teams: teamsDefinition,
  email: emailDefinition,
  chat: chatDefinition,
  byoc: byocDefinition,
};

// …and these kinds can also receive webhooks and send. Adapters keep no per-tenant state, so one
// instance serves every channel of its kind.
export const CHANNEL_ADAPTERS: Readonly<Partial<Record<ChannelKind, AnyChannelAdapter>>> = {
  byoc: new ByocAdapter(),
  slack: new SlackAdapter(),
  teams: new TeamsAdapter(),
  sms: new SmsAdapter(),
  whatsapp: new WhatsappAdapter(),
  email: new EmailAdapter(),
  telegram: new TelegramAdapter(),
};

// Every kind that can deliver replies: the webhook adapters, and the web chat, whose visitors are
// connected to Parley itself (no webhook: its messages arrive over socket.io /chat).
export const CHANNEL_SENDERS: Readonly<Partial<Record<ChannelKind, AnyChannelSender>>> = {
  ...CHANNEL_ADAPTERS,
  chat: new ChatAdapter(),
};

export function isChannelKind(value: unknown): value is ChannelKind {
  return typeof value === 'string' && (CHANNEL_KINDS as readonly string[]).includes(value);
}

export function getDefinition(kind: ChannelKind): AnyChannelDefinition {
  const definition = CHANNEL_DEFINITIONS[kind];
  // Only reachable with a kind read from storage that no longer exists in code.
  if (!definition) throw new Error(`Unknown channel kind: ${String(kind)}`);
  return definition;
}

// undefined: the kind has no adapter yet (its webhooks answer 404, nothing is sent).
export function getAdapter(kind: ChannelKind): AnyChannelAdapter | undefined {
  return CHANNEL_ADAPTERS[kind];
}

// undefined: the kind cannot send yet (its replies fail with that reason).
export function getSender(kind: ChannelKind): AnyChannelSender | undefined {
  return CHANNEL_SENDERS[kind];
}
