import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { WebhookRequest } from '../channel-adapter.port';
import type { AdapterContractFixtures } from '../channel-contract.fixtures';
import { BOT_FRAMEWORK_ISSUER } from './teams.auth';

// Test-only: Teams' recorded activities and a stand-in for the Bot Framework's signing keys.
// teams-message-activity.json is the official sample (shared/fixtures); the submit, messageBack
// and conversationUpdate activities are built from it following the msteams-docs samples.
// test-jwt-signing-key.pem is the TEST-ONLY key behind test-jwks.json (kid omni-test-kid-1).

export const TEAMS_TEST_APP_ID = 'c9e8c047-2a74-40a2-b28a-b162d5f5327c';
export const TEAMS_TEST_KID = 'omni-test-kid-1';
export const TEAMS_FIXTURE_SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

export const teamsFixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', name));

export const TEAMS_TEST_PRIVATE_KEY = createPrivateKey(teamsFixture('test-jwt-signing-key.pem'));

// Public keys as the Bot Framework publishes them: endorsed for the msteams channel.
export function teamsTestJwks(): { keys: Record<string, unknown>[] } {
  const jwks = JSON.parse(teamsFixture('test-jwks.json').toString('utf8')) as { keys: Record<string, unknown>[] };
  return { keys: jwks.keys.map((key) => ({ ...key, endorsements: ['msteams'] })) };
}

export interface BotFrameworkClaims {
  serviceurl?: string;
  aud?: string;
  iss?: string;
  // Seconds relative to nowMs.
  expiresIn?: number;
  notBefore?: number;
  kid?: string;
}

// An RS256 JWT like the Bot Connector's, signed synchronously with node:crypto.
export function mintBotFrameworkToken(claims: BotFrameworkClaims, nowMs: number = Date.now(), key = TEAMS_TEST_PRIVATE_KEY): string {
  const now = Math.floor(nowMs / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: claims.kid ?? TEAMS_TEST_KID };
  const payload = {
    iss: claims.iss ?? BOT_FRAMEWORK_ISSUER,
    aud: claims.aud ?? TEAMS_TEST_APP_ID,
    ...(claims.serviceurl !== undefined && { serviceurl: claims.serviceurl }),
    iat: now,
    nbf: now + (claims.notBefore ?? -60),
    exp: now + (claims.expiresIn ?? 3600),
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

export function signedTeamsRequest(rawBody: Buffer, appId: string, nowMs: number = Date.now()): WebhookRequest {
  const activity = JSON.parse(rawBody.toString('utf8')) as { serviceUrl?: string };
  const token = mintBotFrameworkToken({ aud: appId, ...(activity.serviceUrl !== undefined && { serviceurl: activity.serviceUrl }) }, nowMs);
  return { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` }, query: {}, rawBody };
}

// A local OpenID metadata + JWKS endpoint for the contract test (the adapter fetches over real
// HTTP). Started on import, unref'd so that it never keeps a test process alive.
const keyServer: Server = createServer((req, res) => {
  const body = req.url === '/keys' ? teamsTestJwks() : { issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${keyServerBase()}/keys` };
  // No keep-alive: an idle connection would hold the test process open.
  res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
});
// No host: the port is bound synchronously (a host name would be looked up first), so the URL
// is known as soon as this module is loaded.
keyServer.listen(0);
keyServer.unref();

function keyServerBase(): string {
  const address = keyServer.address() as AddressInfo | null;
  if (!address) throw new Error('The test key server is not listening yet');
  return `http://127.0.0.1:${address.port}`;
}

function teamsConfig(appId: string) {
  return {
    appId,
    appPassword: 'teams-test-app-password-0001',
    get openIdMetadataUrl(): string {
      return `${keyServerBase()}/.well-known/openidconfiguration`;
    },
  };
}

const channelId = '9d4b2c7a-1e3f-4a6b-8c5d-0e7f6a5b4c31';
const channel = { channelId, webhookUrl: `https://inbox.example.com/webhooks/${channelId}` };
const conversationId =
  'a:17I0kl9EkpE1O9PH5TWrzrLNwnWWcfrU7QZjKR0WSfOpzbfcAg2IaydGElSo10tVr4C7Fc6GtieTJX663WuJCc1uA83n4CSrHSgGBj5XNYLcVlJAs2ZX8DbYBPck201w-';
const userId = '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw';
export const TEAMS_FIXTURE_THREAD_KEY = `${TEAMS_FIXTURE_SERVICE_URL}|${conversationId}`;

export const teamsContractFixtures: AdapterContractFixtures = {
  context: { ...channel, config: teamsConfig(TEAMS_TEST_APP_ID) },
  // Another bot: the same token's audience is not its App ID.
  wrongSecretContext: { ...channel, config: teamsConfig('0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0') },
  signedRequest: (rawBody, context, nowMs) => signedTeamsRequest(rawBody, String(context.config.appId), nowMs),
  // The JWT does not sign the body; what it binds is the serviceUrl, so that is what a forger
  // would change (to receive our replies and bot token).
  tamper: (rawBody) => Buffer.from(rawBody.toString('utf8').replace(TEAMS_FIXTURE_SERVICE_URL, 'https://attacker.example.com/')),
  payloads: [
    {
      name: 'teams-message-activity.json',
      rawBody: teamsFixture('teams-message-activity.json'),
      expected: [
        {
          kind: 'message',
          providerMessageId: '1794302120437',
          threadKey: TEAMS_FIXTURE_THREAD_KEY,
          from: { address: userId, name: 'Jana Müller' },
          timestamp: new Date('2026-11-10T09:15:20.437Z'),
          content: { text: 'Hi, my order 98765 has not arrived. Can you check?' },
        },
      ],
    },
    {
      name: 'teams-card-submit.json',
      rawBody: teamsFixture('teams-card-submit.json'),
      expected: [
        {
          kind: 'message',
          providerMessageId: '1794302180551',
          threadKey: TEAMS_FIXTURE_THREAD_KEY,
          from: { address: userId },
          content: {
            postback: { payload: '{"action":"resend","conversationId":"conv_8f2a41c7","shipMethod":"ship_express","shipDate":"2026-11-12"}' },
          },
        },
      ],
    },
    {
      name: 'teams-message-back.json',
      rawBody: teamsFixture('teams-message-back.json'),
      expected: [{ kind: 'message', providerMessageId: '1794302240112', content: { postback: { payload: 'order:98765:resend', title: 'Yes, resend it' } } }],
    },
    { name: 'teams-conversation-update.json', rawBody: teamsFixture('teams-conversation-update.json'), expected: [] },
  ],
};
