// The content module's public API: what other modules may import.
export * from './capabilities.types';
export {
  CONTENT_LIMITS,
  TEXT_FORMATS,
  contentSchema,
  parseContent,
  attachmentSchema,
  buttonSchema,
  quickReplySchema,
  cardSchema,
  listPickerSchema,
  timePickerSchema,
  timeSlotSchema,
  richLinkSchema,
  adaptiveCardSchema,
  templateSchema,
  postbackSchema,
  type Content,
  type TextFormat,
  type Button,
  type QuickReply,
  type Card,
  type ListPicker,
  type TimePicker,
  type TimeSlot,
  type RichLink,
  type AdaptiveCard,
  type Template,
  type Attachment,
  type Postback,
} from './content.schema';
export { CHANNEL_CAPABILITIES, byocCapabilities, channelTypesView, type ChannelTypeView } from './channel-capabilities';
export { renderContent, type RenderResult, type RenderOptions } from './renderer';
export { type RenderedOption, type OptionSource, buttonOption, slotTitle, resolveLocale } from './content-options';
export { adaptiveCardOptions, submitPayload } from './adaptive-card';
export { resolvePostback, normalizeTitle } from './postback';
export { smsInfo, isGsm7, type SmsInfo, type SmsEncoding } from './sms';
export { sanitizeHtml, htmlToDialect } from './html';
export { markdownToDialect, escapeMarkdownV2, escapeSlack, escapeMarkdown } from './markdown';
export { splitText } from './text-split';
