import { createHash, createHmac } from 'node:crypto';
import twilio from 'twilio';
import { byocSignatureHeaders } from '../../channels/byoc/byoc.signature';
import { slackSignatureHeaders } from '../../channels/slack/slack.signature';
import { TELEGRAM_SECRET_HEADER } from '../../channels/telegram/telegram.signature';

// Each provider's inbound webhook as the provider puts it on the wire, signed with its own scheme
// (reference: providers.md §1–4; shapes follow the recorded fixtures in channels/*/fixtures).
// Every message is plain text, so that no adapter calls its provider while ingesting it (media
// would be fetched in prepare(), a Telegram button press answered in afterStored()).

export const PROVIDERS = ['whatsapp', 'sms', 'telegram', 'slack', 'byoc'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const PROVIDER_LABELS: Readonly<Record<Provider, string>> = {
  whatsapp: 'WhatsApp Cloud',
  sms: 'Twilio SMS',
  telegram: 'Telegram',
  slack: 'Slack',
  byoc: 'BYOC',
};

// One channel of the server under test. `secret` is what verifies its webhooks: the Meta app
// secret, the Twilio auth token, the Telegram secret token, the Slack signing secret or the BYOC
// channel secret.
export interface ProviderChannel {
  provider: Provider;
  channelId: string;
  secret: string;
}

export interface MessageSpec {
  // The bench's own id, also written into the text (the latency scenario reads it from events).
  messageId: string;
  // Unique within the workload: Telegram's update_id is built on it.
  seq: number;
  // Index of the contact in the shared population; each provider maps it to its own address.
  contact: number;
  // BYOC only: the conversation thread the integrator names.
  threadId?: string;
}

export interface WireMessage {
  // The provider's dedupe key, as the server stores it: Meta wamid, Twilio MessageSid, Telegram
  // update_id, Slack event_id, BYOC messageId.
  providerMessageId: string;
  raw: string;
  headers: Record<string, string>;
}

// The number the Twilio channel sends from and customers write to.
export const TWILIO_CHANNEL_NUMBER = '+14155550100';
export const WA_PHONE_NUMBER_ID = '106540352242922';
// Our bot user: Slack sends our own posts back as events; these come from customers instead.
export const SLACK_BOT_USER = 'U0BOT1234';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const hash = (value: string) => createHash('md5').update(value).digest('hex');

export const contactAddress = {
  // wa_id: the phone number without "+" (+49 151 0xxxxxxx, a German mobile range).
  whatsapp: (k: number) => `4915100${pad(k, 6)}`,
  // +1 628 555 01xx: the 555-01xx block is reserved for fiction.
  sms: (k: number) => `+1628555${pad(k, 4)}`,
  // A private chat's id is the user's id (≤ 52 bits).
  telegram: (k: number) => 5_100_000_000 + k,
  slack: (k: number) => `U0C${pad(k, 6)}`,
  slackDm: (k: number) => `D0C${pad(k, 6)}`,
  byoc: (k: number) => `contact-${k}`,
};

const customerText = (m: MessageSpec) => `bench ${m.messageId}: my order #${1000 + m.contact} has not arrived, can you help?`;

export function buildWebhook(channel: ProviderChannel, webhookUrl: string, m: MessageSpec, nowMs: number = Date.now()): WireMessage {
  const seconds = Math.floor(nowMs / 1000);
  const k = m.contact;
  switch (channel.provider) {
    case 'whatsapp': {
      const waId = contactAddress.whatsapp(k);
      const providerMessageId = `wamid.${Buffer.from(`${waId}:${m.messageId}`).toString('base64')}`;
      const body = {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102290129340398',
            changes: [
              {
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15550783881', phone_number_id: WA_PHONE_NUMBER_ID },
                  contacts: [{ profile: { name: `Kundin ${k}` }, wa_id: waId }],
                  messages: [{ from: waId, id: providerMessageId, timestamp: String(seconds), text: { body: `${customerText(m)} Grüße` }, type: 'text' }],
                },
                field: 'messages',
              },
            ],
          },
        ],
      };
      const raw = metaJson(body);
      return { providerMessageId, raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', channel.secret).update(raw, 'utf8').digest('hex')}` } };
    }
    case 'sms': {
      const providerMessageId = `SM${hash(m.messageId)}`;
      // Field order as Twilio posts them (fixtures/twilio-sms-inbound.form); the signature does
      // not depend on it (sorted params).
      const params = new URLSearchParams({
        ToCountry: 'US',
        ToState: 'CA',
        SmsMessageSid: providerMessageId,
        NumMedia: '0',
        ToCity: 'SAN FRANCISCO',
        FromZip: '94107',
        SmsSid: providerMessageId,
        FromState: 'CA',
        SmsStatus: 'received',
        FromCity: 'SAN FRANCISCO',
        Body: customerText(m),
        FromCountry: 'US',
        To: TWILIO_CHANNEL_NUMBER,
        ToZip: '94103',
        NumSegments: '1',
        ReferralNumMedia: '0',
        MessageSid: providerMessageId,
        AccountSid: 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        From: contactAddress.sms(k),
        ApiVersion: '2010-04-01',
      });
      const raw = params.toString();
      return {
        providerMessageId,
        raw,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          // Over the public webhook URL plus the sorted form fields (the SDK's own signer).
          'x-twilio-signature': twilio.getExpectedTwilioSignature(channel.secret, webhookUrl, Object.fromEntries(params)),
          // Stable across Twilio's retries of one webhook.
          'i-twilio-idempotency-token': hash(`idem:${m.messageId}`),
          'user-agent': 'TwilioProxy/1.1',
        },
      };
    }
    case 'telegram': {
      const updateId = 100_000_000 + m.seq;
      const chat = contactAddress.telegram(k);
      const person = { first_name: 'Kontakt', last_name: String(k), username: `bench_contact_${k}` };
      const raw = JSON.stringify({
        update_id: updateId,
        message: {
          message_id: m.seq,
          from: { id: chat, is_bot: false, ...person, language_code: 'de' },
          chat: { id: chat, ...person, type: 'private' },
          date: seconds,
          text: customerText(m),
        },
      });
      // Telegram signs nothing: the secret_token given to setWebhook comes back in this header.
      return { providerMessageId: String(updateId), raw, headers: { 'content-type': 'application/json', [TELEGRAM_SECRET_HEADER]: channel.secret } };
    }
    case 'slack': {
      const eventId = `Ev${hash(m.messageId).slice(0, 16).toUpperCase()}`;
      const ts = `${seconds}.${pad(m.seq % 1_000_000, 6)}`;
      const text = customerText(m);
      const raw = JSON.stringify({
        token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
        team_id: 'T0AB1CD2E',
        context_team_id: 'T0AB1CD2E',
        context_enterprise_id: null,
        api_app_id: 'A0FGH3IJK',
        // A direct message to the app (channel_type "im"): one running conversation per person.
        event: {
          user: contactAddress.slack(k),
          type: 'message',
          ts,
          client_msg_id: uuidOf(m.messageId),
          text,
          team: 'T0AB1CD2E',
          blocks: [{ type: 'rich_text', block_id: 'b3nc', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] }],
          channel: contactAddress.slackDm(k),
          event_ts: ts,
          channel_type: 'im',
        },
        type: 'event_callback',
        event_id: eventId,
        event_time: seconds,
        authorizations: [{ enterprise_id: null, team_id: 'T0AB1CD2E', user_id: SLACK_BOT_USER, is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
      });
      return { providerMessageId: eventId, raw, headers: { 'content-type': 'application/json', ...slackSignatureHeaders(channel.secret, raw, nowMs) } };
    }
    case 'byoc': {
      const body: Record<string, unknown> = {
        type: 'message',
        messageId: m.messageId,
        from: { id: contactAddress.byoc(k), name: `Contact ${k}`, email: `contact${k}@example.com` },
        timestamp: new Date(nowMs).toISOString(),
        content: { text: customerText(m) },
      };
      if (m.threadId !== undefined) body.threadId = m.threadId;
      const raw = JSON.stringify(body);
      return { providerMessageId: m.messageId, raw, headers: { 'content-type': 'application/json', ...byocSignatureHeaders(channel.secret, raw, nowMs) } };
    }
  }
}

// The headers of a redelivery of `raw`. The body is the same bytes; schemes that sign a timestamp
// (Slack, BYOC) are signed again at the time of the redelivery, as the sender does (the original
// signature would be out of the 5-minute window by then); the others repeat the original headers.
export function redeliveryHeaders(channel: ProviderChannel, raw: string, original: Record<string, string>, nowMs: number = Date.now()): Record<string, string> {
  switch (channel.provider) {
    case 'slack':
      // https://api.slack.com/apis/events-api#retries
      return { 'content-type': 'application/json', ...slackSignatureHeaders(channel.secret, raw, nowMs), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
    case 'byoc':
      return { 'content-type': 'application/json', ...byocSignatureHeaders(channel.secret, raw, nowMs) };
    default:
      return original;
  }
}

// Meta sends compact JSON with non-ASCII as \uXXXX (lower-case hex) and "/" as "\/", and signs
// those bytes (providers.md §2): a verifier that re-serialises the parsed body would not match.
function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

function uuidOf(value: string): string {
  const h = hash(value);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
