import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import type { ChannelContext, WebhookRequest } from '../channel-adapter.port';
import type { AdapterContractFixtures } from '../channel-contract.fixtures';
import { readTwilioParams } from './sms.mapper';

// Test-only: Twilio's recorded payloads (shared/fixtures, copied) for the adapter contract test
// and the unit specs. The auth token is the fake one the fixtures were signed with.

export const TWILIO_TEST_AUTH_TOKEN = 'f3a1c9e2b7d44e0a9c6b5d8e7f1a2b3c';
export const TWILIO_TEST_ACCOUNT_SID = 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9';

export const smsFixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', name));

export interface RecordedSignature {
  url: string;
  headers: Record<string, string>;
}

export function recordedSignatures(dir: string): Record<string, RecordedSignature> {
  return JSON.parse(readFileSync(join(dir, 'fixtures', 'signatures.json'), 'utf8')) as Record<string, RecordedSignature>;
}

// What Twilio sends: the form body and X-Twilio-Signature over webhookUrl + sorted params.
export function signedTwilioRequest(rawBody: Buffer, authToken: string, url: string): WebhookRequest {
  const signature = twilio.getExpectedTwilioSignature(authToken, url, readTwilioParams(rawBody));
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    query: {},
    rawBody,
  };
}

const channelId = '3d0c5a71-8b2e-4f6a-9c1d-7e4b2a9f0c11';
const channel = { channelId, webhookUrl: `https://inbox.example.com/webhooks/${channelId}` };
const config = { provider: 'twilio', accountSid: TWILIO_TEST_ACCOUNT_SID, from: '+14155550100' };

export const smsContractFixtures: AdapterContractFixtures = {
  context: { ...channel, config: { ...config, authToken: TWILIO_TEST_AUTH_TOKEN } },
  wrongSecretContext: { ...channel, config: { ...config, authToken: '0000000000000000000000000000dead' } },
  signedRequest: (rawBody, context: ChannelContext) => signedTwilioRequest(rawBody, String(context.config.authToken), context.webhookUrl),
  payloads: [
    {
      name: 'twilio-sms-inbound.form',
      rawBody: smsFixture('twilio-sms-inbound.form'),
      expected: [
        {
          kind: 'message',
          providerMessageId: 'SM9f8e7d6c5b4a39281706f5e4d3c2b1a0',
          from: { address: '+14155550123', phone: '+14155550123' },
          content: { text: "Hi, my order #98765 hasn't arrived yet. Can you help?" },
        },
      ],
    },
    {
      name: 'twilio-mms-inbound.form',
      rawBody: smsFixture('twilio-mms-inbound.form'),
      expected: [
        {
          kind: 'message',
          providerMessageId: 'MM1a2b3c4d5e6f708192a3b4c5d6e7f809',
          from: { address: '+14155550123' },
          content: {
            text: 'Photo of the damaged box',
            attachments: [
              {
                url: 'https://api.twilio.com/2010-04-01/Accounts/AC0a1b2c3d4e5f60718293a4b5c6d7e8f9/Messages/MM1a2b3c4d5e6f708192a3b4c5d6e7f809/Media/ME0f1e2d3c4b5a69788796a5b4c3d2e1f0',
                contentType: 'image/jpeg',
              },
            ],
          },
        },
      ],
    },
    {
      name: 'twilio-status-callback.form',
      rawBody: smsFixture('twilio-status-callback.form'),
      expected: [{ kind: 'status', externalId: 'SM7e6d5c4b3a291807f6e5d4c3b2a19080', status: 'delivered' }],
    },
  ],
};
