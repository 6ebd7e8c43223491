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
  apiBaseUrl: apiBaseUrl(),
});

export type SmsConfig = z.infer<typeof smsConfigSchema>;

export const smsDefinition: ChannelDefinition<SmsConfig> = {
  kind: 'sms',
  configSchema: smsConfigSchema,
  secretFields: ['authToken'],
  capabilities: () => CHANNEL_CAPABILITIES.sms,
};
