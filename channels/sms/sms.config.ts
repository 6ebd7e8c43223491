import { z } from 'zod';
import { CHANNEL_CAPABILITIES } from '../../src/content/channel-capabilities';
import type { ChannelDefinition } from '../channel-adapter.port';
import { apiBaseUrl, e164Phone, secretString, strictConfig, twilioAccountSid } from '../channel-config.schema';

// SMS through Twilio Programmable Messaging.
// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
export const smsConfigSchema = strictConfig({
  provider: z.literal('twilio', { error: 'Must be "twilio"' }),
  accountSid: twilioAccountSid(),
  authToken: secretString(),
  from: e164Phone(),
  // Caps what one reply may cost: a longer reply is refused instead of sent as many segments.
  maxSegments: z.number().int().min(1).max(20).optional(),
  apiBaseUrl: apiBaseUrl(),
});

export type SmsConfig = z.infer<typeof smsConfigSchema>;

export const smsDefinition: ChannelDefinition<SmsConfig> = {
  kind: 'sms',
  configSchema: smsConfigSchema,
  secretFields: ['authToken'],
  capabilities: (config) =>
    config.maxSegments ? { ...CHANNEL_CAPABILITIES.sms, limits: { ...CHANNEL_CAPABILITIES.sms.limits, maxSmsSegments: config.maxSegments } } : CHANNEL_CAPABILITIES.sms,
};
