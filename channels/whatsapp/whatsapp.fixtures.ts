import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelContext, WebhookRequest } from '../channel-adapter.port';
import type { AdapterContractFixtures } from '../channel-contract.fixtures';

// Test-only: Meta's recorded WhatsApp Cloud payloads (shared/fixtures, copied) for the adapter
// contract test and the unit specs. The secrets are the fake ones the fixtures were signed with.

export const META_TEST_APP_SECRET = '0a9b8c7d6e5f40312a3b4c5d6e7f8091';
export const WA_TEST_PHONE_NUMBER_ID = '106540352242922';

export const whatsappFixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', name));

export function signedCloudRequest(rawBody: Buffer, appSecret: string): WebhookRequest {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}` },
    query: {},
    rawBody,
  };
}

const channelId = '8a6f2c1e-3b4d-4e5f-9a0b-1c2d3e4f5a6b';
const channel = { channelId, webhookUrl: `https://inbox.example.com/webhooks/${channelId}` };
const config = { provider: 'cloud', phoneNumberId: WA_TEST_PHONE_NUMBER_ID, accessToken: 'wa-test-access-token', verifyToken: 'wa-test-verify-token' };
const from = { address: '4915112345678', phone: '+4915112345678', name: 'Jana Müller' };

export const whatsappContractFixtures: AdapterContractFixtures = {
  context: { ...channel, config: { ...config, appSecret: META_TEST_APP_SECRET } },
  wrongSecretContext: { ...channel, config: { ...config, appSecret: 'ffffffffffffffffffffffffffffffff' } },
  signedRequest: (rawBody, context: ChannelContext) => signedCloudRequest(rawBody, String(context.config.appSecret)),
  payloads: [
    {
      name: 'whatsapp-cloud-text.json',
      rawBody: whatsappFixture('whatsapp-cloud-text.json'),
      expected: [
        {
          kind: 'message',
          providerMessageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDNzY3RDgyQTFCMkMzRDRFRjUA',
          from,
          timestamp: new Date(1794302120 * 1000),
          content: { text: 'Hallo! Where is my order #98765? Grüße' },
        },
      ],
    },
    {
      name: 'whatsapp-cloud-button-reply.json',
      rawBody: whatsappFixture('whatsapp-cloud-button-reply.json'),
      expected: [{ kind: 'message', from, timestamp: new Date(1794302180 * 1000), content: { postback: { payload: 'resend_yes', title: 'Yes, resend it' } } }],
    },
    {
      name: 'whatsapp-cloud-list-reply.json',
      rawBody: whatsappFixture('whatsapp-cloud-list-reply.json'),
      expected: [{ kind: 'message', from, content: { postback: { payload: 'ship_express', title: 'Express (1-2 days)' } } }],
    },
    {
      name: 'whatsapp-cloud-image.json',
      rawBody: whatsappFixture('whatsapp-cloud-image.json'),
      expected: [
        {
          kind: 'message',
          providerMessageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFjNFQjBBQkNERUYwMTIzNDU2Nzg5QUIA',
          content: { text: 'Damaged box', attachments: [{ url: 'https://graph.facebook.com/v21.0/1466328907753451', contentType: 'image/jpeg' }] },
        },
      ],
    },
    {
      name: 'whatsapp-cloud-status.json',
      rawBody: whatsappFixture('whatsapp-cloud-status.json'),
      expected: [{ kind: 'status', externalId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjg1QjQ5OEU1NkE0RDM3QUFGOQA=', status: 'delivered' }],
    },
  ],
};
