import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookRequest } from '../channel-adapter.port';
import type { AdapterContractFixtures } from '../channel-contract.fixtures';
import { TELEGRAM_SECRET_HEADER } from './telegram.signature';

// Test-only: Telegram's recorded Updates (copied from shared/fixtures, exact wire bytes) for the
// adapter contract test and the unit specs. The secret is the fake one of signatures.json.

export const TELEGRAM_TEST_SECRET = 'tg_webhook_secret_9f2c41';
export const TELEGRAM_TEST_BOT_TOKEN = '7012345678:AAtg-test-bot-token-0001';

export const telegramFixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', name));

// The headers recorded for each fixture in signatures.json.
export function recordedTelegramHeaders(name: string): Record<string, string> {
  const signatures = JSON.parse(telegramFixture('signatures.json').toString('utf8')) as Record<string, { headers?: Record<string, string> }>;
  const headers = signatures[name]?.headers;
  if (!headers) throw new Error(`No recorded headers for ${name}`);
  return headers;
}

export function telegramRequest(rawBody: Buffer, secret: string): WebhookRequest {
  return { method: 'POST', headers: { 'content-type': 'application/json', [TELEGRAM_SECRET_HEADER.toLowerCase()]: secret }, query: {}, rawBody };
}

const channelId = '5e1d2c3b-4a59-4876-9a1b-2c3d4e5f6a7b';
const channel = { channelId, webhookUrl: `https://inbox.example.com/webhooks/${channelId}` };

export const telegramContractFixtures: AdapterContractFixtures = {
  context: { ...channel, config: { botToken: TELEGRAM_TEST_BOT_TOKEN, secretToken: TELEGRAM_TEST_SECRET } },
  wrongSecretContext: { ...channel, config: { botToken: TELEGRAM_TEST_BOT_TOKEN, secretToken: 'another_secret_token_0000' } },
  signedRequest: (rawBody, context) => telegramRequest(rawBody, String(context.config.secretToken)),
  // Telegram signs nothing: the secret header is the whole authentication.
  tamper: null,
  payloads: [
    {
      name: 'telegram-message.json',
      rawBody: telegramFixture('telegram-message.json'),
      expected: [
        {
          kind: 'message',
          providerMessageId: '912345678',
          from: { address: '5123456789', name: 'Jana Müller' },
          timestamp: new Date(1794302120 * 1000),
          content: { text: '/start order_98765' },
        },
      ],
    },
    {
      name: 'telegram-photo-message.json',
      rawBody: telegramFixture('telegram-photo-message.json'),
      expected: [
        {
          kind: 'message',
          providerMessageId: '912345680',
          from: { address: '5123456789', name: 'Jana Müller' },
          timestamp: new Date(1794302240 * 1000),
          content: {
            text: 'Damaged box 😞',
            attachments: [{ url: 'https://api.telegram.org/getFile?file_id=AgACAgIAAxkBAAIQeWZfakePhotoLarge0000AAQ', contentType: 'image/jpeg' }],
          },
        },
      ],
    },
    {
      name: 'telegram-callback-query.json',
      rawBody: telegramFixture('telegram-callback-query.json'),
      expected: [
        {
          kind: 'message',
          providerMessageId: '912345679',
          from: { address: '5123456789', name: 'Jana Müller' },
          content: { postback: { payload: 'resend:yes:conv_8f2a41c7', title: 'Yes, resend it' } },
        },
      ],
    },
  ],
};
