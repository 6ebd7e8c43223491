// What a channel can render, declared as data. The renderer reads it to decide, element by
// element, between the native form and a text fallback; `GET /api/v1/channel-types` serves it.

// Content keys a channel may render natively (API.md §7). `text` is always rendered.
export const CONTENT_ELEMENTS = [
  'buttons',
  'quickReplies',
  'cards',
  'listPicker',
  'timePicker',
  'richLink',
  'adaptiveCard',
  'markdown',
  'html',
  'attachments',
  'template',
] as const;
export type ContentElement = (typeof CONTENT_ELEMENTS)[number];

// The Markdown dialect a channel speaks: formatted text is converted to it, or to plain text.
export type TextDialect = 'plain' | 'html' | 'markdown' | 'slack-mrkdwn' | 'telegram-markdownv2' | 'whatsapp' | 'teams';

export interface ChannelLimits {
  maxTextLength?: number; // one message; longer text is split on word boundaries
  maxButtons?: number; // native buttons per message
  maxButtonTitle?: number; // characters
  // Buttons that open a URL per message; 0 where native buttons can only post back (WhatsApp
  // reply buttons). Unset: no limit beyond maxButtons.
  maxUrlButtons?: number;
  maxQuickReplies?: number;
  maxListItems?: number;
  maxListItemTitle?: number;
  maxListItemSubtitle?: number;
  maxCards?: number;
  // Native option-bearing elements (buttons, quick replies, list, time picker) one message can
  // carry; WhatsApp sends one interactive object per message, so a second one degrades to text.
  maxInteractiveElements?: number;
  maxPayloadBytes?: number; // e.g. Telegram callback_data ≤ 64 bytes
  maxAdaptiveCardVersion?: string; // e.g. "1.5" on Teams
  maxSmsSegments?: number; // per-channel SMS cap
  maxAttachmentBytes?: number;
}

export interface ChannelCapabilities {
  native: ContentElement[];
  limits: ChannelLimits;
  dialect: TextDialect;
  // Free-form replies allowed only this many hours after the customer's last message (WhatsApp: 24).
  replyWindowHours?: number;
  // The provider reports delivered/read receipts.
  receipts: boolean;
  // SMS segments are counted on outbound messages.
  sms?: boolean;
}
