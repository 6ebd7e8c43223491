import { z } from 'zod';
import type { ChannelCapabilities } from '../../src/content/capabilities.types';
import { CHANNEL_CAPABILITIES } from '../../src/content/channel-capabilities';
import type { ChannelDefinition } from '../channel-adapter.port';
import {
  apiBaseUrl,
  requiredString,
  secretString,
  strictConfig,
  twilioAccountSid,
} from '../channel-config.schema';

// WhatsApp Cloud API (Meta Graph). The phone number id is the numeric id of the business number,
// not the number itself: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/phone-numbers
// appSecret verifies X-Hub-Signature-256; verifyToken answers the hub.challenge handshake:
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
export const whatsappCloudConfigSchema = strictConfig({
  provider: z.literal('cloud'),
  phoneNumberId: requiredString(32).regex(/^\d+$/, 'Must be the numeric phone number id from Meta, not the number'),
  accessToken: secretString(),
  appSecret: secretString(),
  verifyToken: secretString(),
  apiBaseUrl: apiBaseUrl(),
});

// WhatsApp through Twilio: addresses carry the channel prefix, `whatsapp:+14155238886`.
// https://www.twilio.com/docs/whatsapp/api#using-twilio-phone-numbers-with-whatsapp
export const whatsappTwilioConfigSchema = strictConfig({
  provider: z.literal('twilio'),
  accountSid: twilioAccountSid(),
  authToken: secretString(),
  from: requiredString(32).regex(
    /^whatsapp:\+[1-9]\d{1,14}$/,
    'Must be whatsapp: followed by an E.164 number, e.g. whatsapp:+14155238886',
  ),
  apiBaseUrl: apiBaseUrl(),
});

// A whatsapp-web.js session: no credentials, the session is paired by QR code.
export const whatsappWebConfigSchema = strictConfig({
  provider: z.literal('web'),
  apiBaseUrl: apiBaseUrl(),
});

export const whatsappConfigSchema = z.discriminatedUnion(
  'provider',
  [whatsappCloudConfigSchema, whatsappTwilioConfigSchema, whatsappWebConfigSchema],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'provider must be one of "cloud", "twilio", "web"' : undefined,
  },
);

export type WhatsappConfig = z.infer<typeof whatsappConfigSchema>;
export type WhatsappCloudConfig = z.infer<typeof whatsappCloudConfigSchema>;
export type WhatsappTwilioConfig = z.infer<typeof whatsappTwilioConfigSchema>;
export type WhatsappWebConfig = z.infer<typeof whatsappWebConfigSchema>;

// Through Twilio, interactive messages and templates need Content API resources (ContentSid)
// that Parley does not manage yet, so options go as numbered text; Body is capped at 1600.
// https://www.twilio.com/docs/content
const twilioCapabilities: ChannelCapabilities = {
  ...CHANNEL_CAPABILITIES.whatsapp,
  native: ['attachments'],
  limits: { maxTextLength: 1600 },
};

// whatsapp-web.js: the library's Buttons and List no longer render for non-business accounts
// (providers.md §8), so options go as numbered text, answered by number or title; templates are
// a Cloud API concept and go as text. The 24-hour window stays: an account that writes to people
// who have not written lately looks like spam to WhatsApp, and a ban ends the channel.
const webCapabilities: ChannelCapabilities = {
  ...CHANNEL_CAPABILITIES.whatsapp,
  native: ['attachments'],
  limits: { maxTextLength: 4096 },
};

export const whatsappDefinition: ChannelDefinition<WhatsappConfig> = {
  kind: 'whatsapp',
  configSchema: whatsappConfigSchema,
  // The union of every provider's secrets: a path absent from a config is simply not there.
  secretFields: ['accessToken', 'appSecret', 'verifyToken', 'authToken'],
  capabilities: (config) =>
    config.provider === 'twilio' ? twilioCapabilities : config.provider === 'web' ? webCapabilities : CHANNEL_CAPABILITIES.whatsapp,
};
