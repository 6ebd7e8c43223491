import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookRequest } from '../channel-adapter.port';
import type { AdapterContractFixtures } from '../channel-contract.fixtures';
import { byocSignatureHeaders } from './byoc.signature';

// Test-only: BYOC's recorded payloads for the adapter contract test. The secrets are fake.

export const BYOC_TEST_SECRET = 'byoc_test_secret_3b9f0c2e7a514d68b1c4';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', name));

export function signedByocRequest(rawBody: Buffer, secret: string, nowMs: number = Date.now()): WebhookRequest {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...lowercaseKeys(byocSignatureHeaders(secret, rawBody, nowMs)),
    },
    query: {},
    rawBody,
  };
}

// Node hands headers to the core lowercased.
function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}

const channelId = '6f1c2a9e-4b7d-4e0a-9c3b-2d5e8f7a1b60';
const channel = { channelId, webhookUrl: `https://inbox.example.com/webhooks/${channelId}` };
const callbackUrl = 'https://integrator.example.com/parley';

export const byocContractFixtures: AdapterContractFixtures = {
  context: {
    ...channel,
    config: { callbackUrl, capabilities: ['buttons'], secret: BYOC_TEST_SECRET },
  },
  wrongSecretContext: {
    ...channel,
    config: { callbackUrl, capabilities: ['buttons'], secret: 'another_secret_of_enough_length' },
  },
  signedRequest: (rawBody, context, nowMs) => signedByocRequest(rawBody, String(context.config.secret), nowMs),
  payloads: [
    {
      name: 'message.json',
      rawBody: fixture('message.json'),
      expected: [
        {
          kind: 'message',
          providerMessageId: 'ext-1001',
          threadKey: 't-9',
          from: { address: 'user-42', name: 'Ana Lima', email: 'ana@example.com', phone: '+5511999990000' },
          timestamp: new Date('2026-11-20T10:00:00Z'),
          content: {
            text: 'Hola, mi pedido no llegó',
            attachments: [
              { url: 'https://files.example.com/u/42/foto.png', contentType: 'image/png', name: 'foto.png' },
            ],
          },
        },
      ],
    },
    {
      name: 'postback.json',
      rawBody: fixture('postback.json'),
      expected: [
        {
          kind: 'message',
          providerMessageId: 'ext-1002',
          threadKey: 't-9',
          from: { address: 'user-42', name: 'Ana Lima' },
          content: { postback: { payload: 'order:98765:track', title: 'Rastrear pedido' } },
        },
      ],
    },
    {
      name: 'status.json',
      rawBody: fixture('status.json'),
      expected: [{ kind: 'status', messageId: '0f8fad5b-d9cb-469f-a165-70867728950e', status: 'delivered' }],
    },
    {
      name: 'status-failed.json',
      rawBody: fixture('status-failed.json'),
      expected: [
        {
          kind: 'status',
          messageId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
          status: 'failed',
          error: 'User blocked the bot',
        },
      ],
    },
  ],
};
