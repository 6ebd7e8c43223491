import { CHANNEL_KINDS, type ChannelKind } from '../../channels/channel-adapter.port';
import {
  CONTENT_ELEMENTS,
  type ChannelCapabilities,
  type ChannelLimits,
  type ContentElement,
} from './capabilities.types';

// The rich-content matrix as data (DOMAIN.md "Rich content and fallbacks"). Limits are the
// providers' own, so that whatever the renderer keeps native is accepted by the provider; the
// figures and their sources are in shared/reference/providers.md.
export const CHANNEL_CAPABILITIES: Record<ChannelKind, ChannelCapabilities> = {
  // Twilio accepts bodies up to 1600 characters (segmented by the carrier); nothing is rich.
  sms: {
    native: [],
    limits: { maxTextLength: 1600 },
    dialect: 'plain',
    receipts: true,
    sms: true,
  },
  // An HTML body with attachments; buttons and the rest degrade to text (and links).
  email: {
    native: ['html', 'attachments'],
    limits: {},
    dialect: 'html',
    receipts: false,
  },
  // Our own widget renders every element (templates are a WhatsApp concept: sent as text).
  chat: {
    native: CONTENT_ELEMENTS.filter((element) => element !== 'template'),
    limits: {},
    dialect: 'markdown',
    receipts: true,
  },
  // Cloud API interactive messages: reply buttons ≤ 3 (title ≤ 20, id ≤ 256), list rows ≤ 10
  // (title ≤ 24, description ≤ 72, id ≤ 200), body ≤ 4096; one interactive object per message.
  // Quick replies are sent as reply buttons, a rich link as text with preview_url.
  whatsapp: {
    native: ['buttons', 'quickReplies', 'listPicker', 'richLink', 'attachments', 'template'],
    limits: {
      maxTextLength: 4096,
      maxButtons: 3,
      maxButtonTitle: 20,
      maxUrlButtons: 0,
      maxQuickReplies: 3,
      maxListItems: 10,
      maxListItemTitle: 24,
      maxListItemSubtitle: 72,
      maxPayloadBytes: 200,
      maxInteractiveElements: 1,
    },
    dialect: 'whatsapp',
    replyWindowHours: 24,
    receipts: true,
  },
  // Options become inline keyboards (≤ 100 buttons); text ≤ 4096. callback_data is ≤ 64 bytes,
  // but the adapter sends a longer payload as a reference it resolves when pressed
  // (channels/telegram/telegram-callback-data.ts), so payloads never force the text fallback.
  telegram: {
    native: ['buttons', 'quickReplies', 'listPicker', 'timePicker', 'attachments'],
    limits: {
      maxTextLength: 4096,
      maxButtons: 100,
      maxQuickReplies: 100,
      maxListItems: 100,
    },
    dialect: 'telegram-markdownv2',
    receipts: false,
  },
  // Block Kit: actions ≤ 25 elements, button text ≤ 75, static_select ≤ 100 options whose value
  // is ≤ 75 characters, section text ≤ 3000.
  slack: {
    native: ['buttons', 'listPicker', 'timePicker', 'cards', 'richLink', 'attachments'],
    limits: {
      maxTextLength: 3000,
      maxButtons: 25,
      maxButtonTitle: 75,
      maxListItems: 100,
      maxListItemTitle: 75,
      maxCards: 10,
      maxPayloadBytes: 75,
    },
    dialect: 'slack-mrkdwn',
    receipts: false,
  },
  // Adaptive Cards ≤ 1.5, hero cards (≤ 6 buttons), ≤ 3 suggested actions, Markdown text.
  teams: {
    native: ['adaptiveCard', 'cards', 'quickReplies', 'buttons', 'markdown'],
    limits: {
      maxTextLength: 28_000,
      maxButtons: 6,
      maxQuickReplies: 3,
      maxCards: 10,
      maxAdaptiveCardVersion: '1.5',
    },
    dialect: 'teams',
    receipts: false,
  },
  // Decided per channel by the integrator's declared capabilities: see byocCapabilities().
  byoc: {
    native: [],
    limits: {},
    dialect: 'plain',
    receipts: true,
  },
};

// BYOC: the integrator lists the Content keys it renders. "text" is implicit; "markdown" or
// "html" mean its text is in that format (Markdown preferred when both are declared). Unknown
// keys are ignored here: the channel's config schema rejects them when the channel is saved.
export function byocCapabilities(declared: readonly string[]): ChannelCapabilities {
  const native = CONTENT_ELEMENTS.filter((element) => declared.includes(element));
  const dialect = native.includes('markdown') ? 'markdown' : native.includes('html') ? 'html' : 'plain';
  return { ...CHANNEL_CAPABILITIES.byoc, native, limits: { ...CHANNEL_CAPABILITIES.byoc.limits }, dialect };
}

export interface ChannelTypeView {
  type: ChannelKind;
  native: ContentElement[];
  limits: ChannelLimits;
  configurable?: true;
}

// GET /api/v1/channel-types
export function channelTypesView(): { items: ChannelTypeView[] } {
  return {
    items: CHANNEL_KINDS.map((type) => {
      const { native, limits } = CHANNEL_CAPABILITIES[type];
      const view: ChannelTypeView = { type, native: [...native], limits: { ...limits } };
      if (type === 'byoc') view.configurable = true;
      return view;
    }),
  };
}
