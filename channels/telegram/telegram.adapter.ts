import { Api } from 'node-telegram-bot-api';
import {
  ProviderError,
  type ChannelAdapter,
  type ChannelContext,
  type ChannelKind,
  type InboundEvent,
  type IngestOutcome,
  type OutboundMessage,
  type SendResult,
  type WebhookRequest,
  type WebhookResult,
} from '../channel-adapter.port';
import { copyAttachments, downloadMedia } from '../media-download';
import { sendInParts } from '../send-in-parts';
import { getHeader } from '../webhook-request.util';
import { asLink, asPlainText, toTelegramCalls, type TelegramCall } from './telegram-outbound.mapper';
import { telegramDefinition, type TelegramConfig } from './telegram.config';
import { classifyTelegramError } from './telegram.errors';
import { parseTelegramUpdate, telegramApiRoot, telegramCallbackQueryId, telegramFileId } from './telegram.mapper';
import { TELEGRAM_SECRET_HEADER, verifyTelegramSecret } from './telegram.signature';

// Telegram through the Bot API (providers.md §3), with node-telegram-bot-api v2 pointed at the
// channel's apiBaseUrl (`apiRoot`). Stateless: a client is made per call from the channel's own
// token; nothing is kept between calls.

// The outbound queue retries with its own backoff, so the SDK does not retry (maxRetries 0) and a
// call that hangs gives its worker back after this long.
export const TELEGRAM_TIMEOUT_MS = 10_000;
// "bots can download files of up to 20MB in size" (https://core.telegram.org/bots/api#getfile).
const TELEGRAM_FILE_MAX_BYTES = 20 * 1024 * 1024;
// The updates Parley handles; Telegram sends nothing else to the webhook.
export const TELEGRAM_ALLOWED_UPDATES: string[] = ['message', 'callback_query'];

export interface TelegramAdapterOptions {
  timeoutMs?: number;
  now?: () => Date;
}

export class TelegramAdapter implements ChannelAdapter<TelegramConfig> {
  readonly kind: ChannelKind = 'telegram';
  readonly configSchema = telegramDefinition.configSchema;
  readonly secretFields = telegramDefinition.secretFields;
  readonly capabilities = telegramDefinition.capabilities;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(options: TelegramAdapterOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? TELEGRAM_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
  }

  verify(request: WebhookRequest, context: ChannelContext<TelegramConfig>): void {
    verifyTelegramSecret(context.config.secretToken, getHeader(request, TELEGRAM_SECRET_HEADER));
  }

  parse(request: WebhookRequest, context: ChannelContext<TelegramConfig>): WebhookResult {
    return { events: parseTelegramUpdate(request.rawBody, { apiBaseUrl: context.config.apiBaseUrl, now: this.now() }) };
  }

  // Photos and documents arrive as file ids. Parley keeps its own copy while the webhook is in
  // hand: getFile gives the file's path, downloadable for at least an hour from a URL that holds
  // the bot token (https://core.telegram.org/bots/api#getfile). Without media storage, or for a
  // file Telegram will not serve (over 20 MB), the token-free file reference stays.
  async prepare(events: InboundEvent[], context: ChannelContext<TelegramConfig>): Promise<InboundEvent[]> {
    const media = context.media;
    if (!media) return events;
    const { botToken, apiBaseUrl } = context.config;
    return copyAttachments(events, async (attachment) => {
      const fileId = telegramFileId(attachment, apiBaseUrl);
      if (fileId === undefined) return undefined;
      const file = await this.call(context, 'getFile', (api) => api.getFile({ file_id: fileId }));
      if (!file.file_path) return undefined;
      const download = await downloadMedia(`${telegramApiRoot(apiBaseUrl)}/file/bot${botToken}/${file.file_path}`, {
        timeoutMs: this.timeoutMs,
        maxBytes: TELEGRAM_FILE_MAX_BYTES,
        fallbackContentType: attachment.contentType,
      });
      // The update's MIME type is Telegram's own record of the file; the file server often
      // answers application/octet-stream.
      const contentType = attachment.contentType === 'application/octet-stream' ? download.contentType : attachment.contentType;
      const stored = await media.save({ data: download.data, contentType, ...(attachment.name !== undefined && { name: attachment.name }) });
      return { ...attachment, url: stored.url, contentType: stored.contentType };
    });
  }

  // Text parts and files are separate Bot API messages; a retry resumes after those Telegram
  // already accepted (sendInParts).
  async send(message: OutboundMessage, context: ChannelContext<TelegramConfig>): Promise<SendResult> {
    return sendInParts(message, toTelegramCalls(message.to.address, message.rendered), async (call) => {
      const sent = await this.deliver(call, context);
      // A message_id is unique within its chat.
      return `${sent.chat.id}:${sent.message_id}`;
    });
  }

  // A pressed inline button shows a spinner until the bot answers the callback query, whatever
  // it does with the press (https://core.telegram.org/bots/api#answercallbackquery).
  async afterStored(request: WebhookRequest, context: ChannelContext<TelegramConfig>, _outcomes: readonly IngestOutcome[]): Promise<void> {
    const callbackQueryId = telegramCallbackQueryId(request.rawBody);
    if (callbackQueryId === undefined) return;
    await this.call(context, 'answerCallbackQuery', (api) => api.answerCallbackQuery({ callback_query_id: callbackQueryId }));
  }

  // Registers the channel's webhook URL and secret with Telegram, when a channel is created and
  // whenever its config (token, secret, base URL) changes. https://core.telegram.org/bots/api#setwebhook
  async onConfigured(context: ChannelContext<TelegramConfig>): Promise<void> {
    await this.call(context, 'setWebhook', (api) =>
      api.setWebhook({ url: context.webhookUrl, secret_token: context.config.secretToken, allowed_updates: TELEGRAM_ALLOWED_UPDATES }),
    );
  }

  // One Bot API call, with the fallbacks Telegram's own refusals call for: MarkdownV2 it cannot
  // parse goes again as plain text, a file it cannot fetch goes as a link.
  private async deliver(call: TelegramCall, context: ChannelContext<TelegramConfig>): Promise<SentMessage> {
    try {
      return await this.sendOne(call, context);
    } catch (error) {
      if (!(error instanceof ProviderError) || error.errorClass !== 'permanent') throw error;
      if (call.method === 'sendMessage' && call.params.parse_mode && /can't parse entities/i.test(error.message)) return this.sendOne(asPlainText(call), context);
      if (call.method !== 'sendMessage') return this.sendOne(asLink(call), context);
      throw error;
    }
  }

  private sendOne(call: TelegramCall, context: ChannelContext<TelegramConfig>): Promise<SentMessage> {
    switch (call.method) {
      case 'sendMessage':
        return this.call(context, call.method, (api) => api.sendMessage(call.params));
      case 'sendPhoto':
        return this.call(context, call.method, (api) => api.sendPhoto(call.params));
      case 'sendDocument':
        return this.call(context, call.method, (api) => api.sendDocument(call.params));
    }
  }

  private async call<T>(context: ChannelContext<TelegramConfig>, method: string, fn: (api: Api) => Promise<T>): Promise<T> {
    try {
      const api = new Api(context.config.botToken, { apiRoot: telegramApiRoot(context.config.apiBaseUrl), timeoutMs: this.timeoutMs, maxRetries: 0 });
      return await fn(api);
    } catch (error) {
      throw classifyTelegramError(error, method);
    }
  }
}

interface SentMessage {
  message_id: number;
  chat: { id: number };
}
