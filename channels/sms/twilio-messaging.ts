import twilio from 'twilio';
import { splitText } from '../../src/content/text-split';
import {
  SignatureError,
  type ChannelContext,
  type InboundEvent,
  type OutboundMessage,
  type SendResult,
  type WebhookReply,
  type WebhookRequest,
  type WebhookResult,
} from '../channel-adapter.port';
import { copyAttachments, downloadMedia } from '../media-download';
import { sendInParts } from '../send-in-parts';
import { getHeader } from '../webhook-request.util';
import { parseTwilioWebhook, readTwilioParams } from './sms.mapper';
import { createTwilioMessage, TWILIO_API_BASE, TWILIO_TIMEOUT_MS, type TwilioCredentials } from './twilio.client';

// What SMS and WhatsApp-via-Twilio share: the signature, the webhook format, the TwiML
// acknowledgement and the Messages API. Each kind's adapter wraps one of these.

export interface TwilioChannelConfig extends TwilioCredentials {
  // `+14155550100`, or `whatsapp:+14155238886` for WhatsApp.
  from: string;
}

export interface TwilioMessagingOptions {
  // SMS only: STOP/START keywords are recorded as opt-outs.
  keywords: boolean;
  // Twilio's Messages API caps Body at 1600 characters; longer text goes as several messages.
  maxBodyLength: number;
  timeoutMs?: number;
  now?: () => Date;
}

// "An async inbox should return <Response/>": no inline reply, replies go through the REST API.
// https://www.twilio.com/docs/messaging/twiml#responding-to-incoming-messages
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

export class TwilioMessaging {
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: TwilioMessagingOptions) {
    this.timeoutMs = options.timeoutMs ?? TWILIO_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
  }

  // Twilio signs the URL it called plus the sorted form fields, not the bytes:
  // https://www.twilio.com/docs/usage/webhooks/webhooks-security. The URL is the configured
  // public one (context.webhookUrl), never the Host header, which a proxy or tunnel rewrites.
  verify(request: WebhookRequest, context: ChannelContext<TwilioChannelConfig>): void {
    const signature = getHeader(request, 'x-twilio-signature');
    if (!signature) throw new SignatureError('Missing X-Twilio-Signature header');
    const params = request.method === 'POST' ? readTwilioParams(request.rawBody) : {};
    if (!twilio.validateRequest(context.config.authToken, signature, context.webhookUrl, params)) {
      throw new SignatureError('X-Twilio-Signature does not match');
    }
  }

  parse(request: WebhookRequest): WebhookResult {
    const params = readTwilioParams(request.rawBody);
    return { events: parseTwilioWebhook(params, { keywords: this.options.keywords, now: this.now() }) };
  }

  acknowledge(): WebhookReply {
    return { status: 200, body: EMPTY_TWIML, contentType: 'text/xml' };
  }

  // MMS / WhatsApp media live on api.twilio.com until the message is deleted, and an account
  // with "Enforce HTTP Auth on Media URLs" (the default for new accounts) answers 401 without
  // the account's credentials: Parley keeps its own copy so that agents and exports never
  // depend on Twilio. https://www.twilio.com/docs/messaging/api/media-resource
  async prepare(events: InboundEvent[], context: ChannelContext<TwilioChannelConfig>): Promise<InboundEvent[]> {
    const media = context.media;
    if (!media) return events;
    const auth = `Basic ${Buffer.from(`${context.config.accountSid}:${context.config.authToken}`).toString('base64')}`;
    return copyAttachments(events, async (attachment) => {
      const url = twilioMediaUrl(attachment.url, context.config.apiBaseUrl);
      if (!url) return undefined;
      const file = await downloadMedia(url, { headers: { authorization: auth }, timeoutMs: this.timeoutMs, maxBytes: TWILIO_MEDIA_MAX_BYTES, fallbackContentType: attachment.contentType });
      const stored = await media.save(attachment.name !== undefined ? { ...file, name: attachment.name } : file);
      return { ...attachment, url: stored.url, contentType: stored.contentType };
    });
  }

  // Media go with the first part; the first message's sid is the one status callbacks report on.
  // A retry resumes after the parts Twilio already accepted (sendInParts).
  async send(message: OutboundMessage, context: ChannelContext<TwilioChannelConfig>): Promise<SendResult> {
    const { rendered } = message;
    const mediaUrl = (rendered.attachments ?? []).map((attachment) => attachment.url).slice(0, 10);
    const text = rendered.text?.trim() ? rendered.text : undefined;
    const parts = text ? splitText(text, this.options.maxBodyLength) : [undefined];
    const base = { from: context.config.from, to: message.to.address, statusCallback: context.webhookUrl };
    return sendInParts(message, parts, (body, index) =>
      createTwilioMessage(
        context.config,
        { ...base, ...(body !== undefined && { body }), ...(index === 0 && mediaUrl.length > 0 && { mediaUrl }) },
        this.timeoutMs,
      ),
    );
  }
}

// Twilio accepts up to 5 MB per MMS message in total.
// https://www.twilio.com/docs/messaging/guides/accepted-mime-types
const TWILIO_MEDIA_MAX_BYTES = 5 * 1024 * 1024;

// Only Twilio's own media URLs are fetched with the account's credentials, from `apiBaseUrl`
// when one is configured (the same redirection the SDK's requests get).
function twilioMediaUrl(url: string, apiBaseUrl: string | undefined): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.origin !== TWILIO_API_BASE || !parsed.pathname.includes('/Media/')) return undefined;
  return `${(apiBaseUrl ?? TWILIO_API_BASE).replace(/\/+$/, '')}${parsed.pathname}${parsed.search}`;
}
