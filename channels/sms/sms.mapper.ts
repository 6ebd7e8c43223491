import type { Attachment, Content } from '../../src/content/content.schema';
import { attachmentSchema } from '../../src/content/content.schema';
import { PayloadError, type DeliveryStatus, type InboundEvent, type InboundSender } from '../channel-adapter.port';

// Twilio Programmable Messaging webhooks (SMS, MMS and WhatsApp via Twilio) → Parley events.
// Inbound fields: https://www.twilio.com/docs/messaging/guides/webhook-request
// Status callbacks: https://www.twilio.com/docs/messaging/guides/track-outbound-message-status

export type TwilioParams = Record<string, string>;

// Twilio posts application/x-www-form-urlencoded. Its keys are unique; a repeated key would be
// ambiguous for the signature and for us alike, so the last value wins (as in the SDK's parser).
export function readTwilioParams(rawBody: Buffer): TwilioParams {
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(rawBody.toString('utf8'))) params[key] = value;
  return params;
}

// Keywords Twilio's default Advanced Opt-Out recognises (case-insensitive, whole message):
// https://help.twilio.com/articles/223134027-Twilio-support-for-opt-out-keywords-SMS-STOP-filtering-
export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] as const;
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;

export function consentKeyword(body: string | undefined): 'opted_out' | 'opted_in' | undefined {
  const word = (body ?? '').trim().replace(/[.!]+$/, '').toUpperCase();
  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) return 'opted_out';
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return 'opted_in';
  return undefined;
}

// `queued`, `sending`, `accepted`, `scheduled` say nothing the outbound queue does not already
// know; statuses form a lattice failed/undelivered < sent < delivered < read and the core keeps
// the highest, so late or out-of-order callbacks are harmless.
const STATUS_MAP: Readonly<Record<string, DeliveryStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
  canceled: 'failed',
};

export interface TwilioParseOptions {
  // SMS channels honour STOP/START keywords; on WhatsApp they are ordinary words.
  keywords: boolean;
  now: Date;
}

export function parseTwilioWebhook(params: TwilioParams, options: TwilioParseOptions): InboundEvent[] {
  const sid = params.MessageSid ?? params.SmsMessageSid ?? params.SmsSid;
  if (!sid) throw new PayloadError('MessageSid: Required');

  const messageStatus = params.MessageStatus;
  if (messageStatus !== undefined) {
    const status = STATUS_MAP[messageStatus];
    if (!status) return [];
    const error = status === 'failed' ? twilioErrorText(params) : undefined;
    return [{ kind: 'status', externalId: sid, status, ...(error !== undefined && { error }) }];
  }

  const fromAddress = params.From?.trim();
  if (!fromAddress) throw new PayloadError('From: Required');
  const content = messageContent(params);
  const consent = options.keywords ? consentKeyword(params.Body) : undefined;
  return [
    {
      kind: 'message',
      providerMessageId: sid,
      from: sender(fromAddress, params.ProfileName),
      // Twilio's inbound webhook carries no timestamp: it is delivered as it arrives.
      timestamp: options.now,
      content,
      ...(consent !== undefined && { consent }),
    },
  ];
}

// The address is what we send back to (`+14155550123` or `whatsapp:+4915112345678`); the phone,
// without the channel prefix, lets the same person on SMS and WhatsApp become one contact.
function sender(address: string, profileName: string | undefined): InboundSender {
  const phone = address.replace(/^[a-z]+:/i, '');
  const name = profileName?.trim();
  return {
    address,
    ...(/^\+[1-9]\d{1,14}$/.test(phone) && { phone }),
    ...(name && { name }),
  };
}

function messageContent(params: TwilioParams): Content {
  const content: Content = {};
  const body = params.Body;
  if (body !== undefined && body.trim() !== '') content.text = body;

  const attachments = mediaAttachments(params);
  if (attachments.length > 0) content.attachments = attachments;

  // A quick-reply button of a WhatsApp template: https://www.twilio.com/docs/whatsapp/buttons
  if (params.ButtonPayload) {
    content.postback = { payload: params.ButtonPayload, ...(params.ButtonText?.trim() && { title: params.ButtonText.trim() }) };
  }
  // WhatsApp location pins arrive as coordinates without a body.
  if (!content.text && params.Latitude && params.Longitude) {
    const label = [params.Label, params.Address].filter(Boolean).join(', ');
    content.text = `Location: ${params.Latitude}, ${params.Longitude}${label ? ` (${label})` : ''}`;
  }
  if (Object.keys(content).length === 0) {
    content.text = `[Unsupported ${params.MessageType ?? 'message'} without text]`;
  }
  return content;
}

// MediaUrl{N} / MediaContentType{N}, N = 0..NumMedia-1 (at most 10). A URL that is not http(s)
// (it never is, but the body is the sender's word) is skipped rather than failing the message.
function mediaAttachments(params: TwilioParams): Attachment[] {
  const count = Math.min(Number.parseInt(params.NumMedia ?? '0', 10) || 0, 10);
  const attachments: Attachment[] = [];
  for (let n = 0; n < count; n++) {
    const candidate = { url: params[`MediaUrl${n}`], contentType: params[`MediaContentType${n}`] ?? 'application/octet-stream' };
    const parsed = attachmentSchema.safeParse(candidate);
    if (parsed.success) attachments.push(parsed.data);
  }
  return attachments;
}

// ErrorCode reference: https://www.twilio.com/docs/api/errors
function twilioErrorText(params: TwilioParams): string {
  const code = params.ErrorCode;
  const message = params.ErrorMessage ?? params.ChannelStatusMessage;
  if (code && message) return `Twilio error ${code}: ${message}`;
  if (code) return `Twilio error ${code}`;
  return message ?? `Twilio reported ${params.MessageStatus ?? 'failure'}`;
}
