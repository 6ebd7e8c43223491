import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookRequest } from '../channel-adapter.port';
import type { AdapterContractFixtures } from '../channel-contract.fixtures';
import { slackSignatureHeaders } from './slack.signature';

// Test-only: Slack's recorded payloads (copied from shared/fixtures, exact wire bytes) for the
// adapter contract test and the unit specs. The signing secret is the fake one the fixtures were
// signed with (signatures.json), at the fixed timestamp below.

export const SLACK_TEST_SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const SLACK_FIXTURE_TIMESTAMP = 1794302121;
// The recorded X-Slack-Signature of each fixture at SLACK_FIXTURE_TIMESTAMP.
export const SLACK_FIXTURE_SIGNATURES: Record<string, string> = {
  'slack-url-verification.json': 'v0=0c80f5cc62e57c142a1648e1e080266e7afed133f3da1d89e4b062b77d9c7eeb',
  'slack-event-message.json': 'v0=f503387b2e817452fc817b967f17fcd26c312d2613c9cfa0d3684fc3b9bfbf03',
  'slack-block-actions.form': 'v0=e0f4836447574b7011ce0b104b1e901edaaa5a452481ac69b6c61dd1e6794bbe',
};

export const slackFixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', name));

// Interactivity is form-encoded (`payload=<json>`), events are JSON.
export function slackContentType(rawBody: Buffer): string {
  return rawBody.subarray(0, 8).toString('latin1') === 'payload=' ? 'application/x-www-form-urlencoded' : 'application/json';
}

export function signedSlackRequest(rawBody: Buffer, signingSecret: string, nowMs: number = Date.now(), extraHeaders: Record<string, string> = {}): WebhookRequest {
  const headers: Record<string, string> = { 'content-type': slackContentType(rawBody), ...extraHeaders };
  for (const [key, value] of Object.entries(slackSignatureHeaders(signingSecret, rawBody, nowMs))) headers[key.toLowerCase()] = value;
  return { method: 'POST', headers, query: {}, rawBody };
}

const channelId = '2b0d5f7e-3c1a-4e8b-9f6d-7a5c4b3e2d10';
const channel = { channelId, webhookUrl: `https://inbox.example.com/webhooks/${channelId}` };

export const slackContractFixtures: AdapterContractFixtures = {
  context: { ...channel, config: { botToken: 'xoxb-test-bot-token-0001', signingSecret: SLACK_TEST_SIGNING_SECRET } },
  wrongSecretContext: { ...channel, config: { botToken: 'xoxb-test-bot-token-0001', signingSecret: 'another-signing-secret-0000000000' } },
  signedRequest: (rawBody, context, nowMs) => signedSlackRequest(rawBody, String(context.config.signingSecret), nowMs),
  payloads: [
    {
      name: 'slack-event-message.json',
      rawBody: slackFixture('slack-event-message.json'),
      expected: [
        {
          kind: 'message',
          providerMessageId: 'Ev0XYZ6ABC78',
          threadKey: 'C0RST5UVW:1794301999.000200',
          from: { address: 'U0LMN4OPQ' },
          timestamp: new Date(1794302120123),
          content: { text: 'Thanks <@U0BOT1234>, I still need help with order *98765*' },
        },
      ],
    },
    {
      name: 'slack-block-actions.form',
      rawBody: slackFixture('slack-block-actions.form'),
      expected: [
        {
          kind: 'message',
          providerMessageId: '1794302060.000300:1794302120.218732',
          threadKey: 'C0RST5UVW:1794301999.000200',
          from: { address: 'U0LMN4OPQ', name: 'jana.mueller' },
          content: { postback: { payload: 'conv_8f2a41c7', title: 'Yes, resend it' } },
        },
      ],
    },
    // Answered with the challenge, nothing stored.
    { name: 'slack-url-verification.json', rawBody: slackFixture('slack-url-verification.json'), expected: [] },
  ],
};
