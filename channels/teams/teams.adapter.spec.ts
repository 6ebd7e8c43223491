import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PayloadError, ProviderError, SignatureError } from '../channel-adapter.port';
import { classifyTeamsStatus, TeamsAdapter } from './teams.adapter';
import { verifyBotFrameworkToken } from './teams.auth';
import {
  mintBotFrameworkToken,
  signedTeamsRequest,
  TEAMS_FIXTURE_SERVICE_URL,
  TEAMS_FIXTURE_THREAD_KEY,
  TEAMS_TEST_APP_ID,
  teamsFixture,
  teamsTestJwks,
} from './teams.fixtures';
import { parseTeamsActivity, teamsConversationOf, teamsThreadKey, toTeamsActivity } from './teams.mapper';
import { getBotToken } from './teams.token';

// A local Bot Framework: OpenID metadata, keys, token endpoint and a Bot Connector.
interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let server: Server;
let base = '';
const received: Received[] = [];
let connectorAnswer: { status: number; body: string; headers?: Record<string, string> } = { status: 201, body: '{"id":"1736934123456"}' };
let tokenAnswer: { status: number; body: string } = { status: 200, body: teamsFixture('teams-bot-token.json').toString('utf8') };
let keys: unknown = teamsTestJwks();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = (status: number, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers });
        res.end(body);
      };
      if (req.url === '/openid') return answer(200, JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` }));
      if (req.url === '/keys') return answer(200, JSON.stringify(keys));
      if (req.url === '/token') {
        const { access_token, expires_in } = JSON.parse(tokenAnswer.body).response?.body ?? JSON.parse(tokenAnswer.body);
        return answer(tokenAnswer.status, tokenAnswer.status === 200 ? JSON.stringify({ token_type: 'Bearer', access_token, expires_in }) : tokenAnswer.body);
      }
      return answer(connectorAnswer.status, connectorAnswer.body, connectorAnswer.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

const NOW = Date.parse('2026-11-10T09:15:21Z');

describe('Bot Framework JWT verification', () => {
  const check = (token: string | undefined, overrides: Partial<Parameters<typeof verifyBotFrameworkToken>[0]> = {}) =>
    verifyBotFrameworkToken({
      authorization: token === undefined ? undefined : `Bearer ${token}`,
      appId: TEAMS_TEST_APP_ID,
      metadataUrl: `${base}/openid`,
      serviceUrl: TEAMS_FIXTURE_SERVICE_URL,
      channelId: 'msteams',
      nowMs: NOW,
      ...overrides,
    });
  const token = (claims: Parameters<typeof mintBotFrameworkToken>[0] = {}, key?: Parameters<typeof mintBotFrameworkToken>[2]) =>
    mintBotFrameworkToken({ serviceurl: TEAMS_FIXTURE_SERVICE_URL, ...claims }, NOW, key);

  it('accepts a token from the Bot Framework for this bot and this serviceUrl', async () => {
    await expect(check(token())).resolves.toMatchObject({ aud: TEAMS_TEST_APP_ID, serviceurl: TEAMS_FIXTURE_SERVICE_URL });
  });

  it('tolerates 5 minutes of clock skew on exp and nbf', async () => {
    await expect(check(token({ expiresIn: -240 }))).resolves.toBeDefined();
    await expect(check(token({ notBefore: 240 }))).resolves.toBeDefined();
  });

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  it.each([
    ['no Authorization header', () => check(undefined), /Missing Authorization/],
    ['a non-Bearer scheme', () => check(undefined, { authorization: `Basic ${token()}` }), /Missing Authorization/],
    ['a token signed with another key', () => check(token({}, otherKey)), /signature verification failed/],
    ['an unknown kid', () => check(token({ kid: 'not-a-known-kid' })), /Invalid Bot Framework token/],
    ['another audience', () => check(token({ aud: 'another-app-id' })), /aud/],
    ['another issuer', () => check(token({ iss: 'https://sts.windows.net/tenant/' })), /iss/],
    ['an expired token (beyond the skew)', () => check(token({ expiresIn: -360 })), /exp/],
    ['a token not yet valid (beyond the skew)', () => check(token({ notBefore: 360 })), /nbf/],
    ['a serviceUrl that differs from the claim', () => check(token(), { serviceUrl: 'https://attacker.example.com/' }), /serviceurl/],
    ['a token without a serviceurl claim', () => check(mintBotFrameworkToken({}, NOW)), /serviceurl/],
    ['a key not endorsed for the channel', () => check(token(), { channelId: 'slack' }), /endorse/],
    ['garbage', () => check('not.a.jwt'), /Invalid Bot Framework token/],
  ])('rejects %s', async (_label, attempt, message) => {
    await expect(attempt()).rejects.toThrow(SignatureError);
    await expect(attempt()).rejects.toThrow(message);
  });

  it('answers a plain error (not 401) when the keys cannot be fetched', async () => {
    const attempt = verifyBotFrameworkToken({ authorization: `Bearer ${token()}`, appId: TEAMS_TEST_APP_ID, metadataUrl: 'http://127.0.0.1:1/openid', serviceUrl: TEAMS_FIXTURE_SERVICE_URL, channelId: 'msteams', nowMs: NOW });
    await expect(attempt).rejects.toThrow(Error);
    await expect(attempt).rejects.not.toBeInstanceOf(SignatureError);
  });

  it('verifies through the adapter, reading serviceUrl from the body', async () => {
    const adapter = new TeamsAdapter({ now: () => NOW });
    const context = { channelId: 'c', webhookUrl: 'https://x/webhooks/c', config: { appId: TEAMS_TEST_APP_ID, appPassword: 'p', openIdMetadataUrl: `${base}/openid` } };
    const request = signedTeamsRequest(teamsFixture('teams-message-activity.json'), TEAMS_TEST_APP_ID, NOW);
    await expect(adapter.verify(request, context)).resolves.toBeUndefined();
    const moved = Buffer.from(request.rawBody.toString('utf8').replace(TEAMS_FIXTURE_SERVICE_URL, 'https://attacker.example.com/'));
    await expect(adapter.verify({ ...request, rawBody: moved }, context)).rejects.toThrow(SignatureError);
    // A body that is not an activity has no serviceUrl for the token to vouch for.
    await expect(adapter.verify({ ...request, rawBody: Buffer.from('{not json') }, context)).rejects.toThrow(SignatureError);
  });
});

describe('Teams inbound mapping', () => {
  const now = new Date(NOW);
  const userId = '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw';
  const activity = (overrides: Record<string, unknown>) =>
    Buffer.from(JSON.stringify({ ...JSON.parse(teamsFixture('teams-message-activity.json').toString('utf8')), ...overrides }));

  it('maps a message activity to a message in its conversation', () => {
    expect(parseTeamsActivity(teamsFixture('teams-message-activity.json'), now)).toEqual([
      {
        kind: 'message',
        providerMessageId: '1794302120437',
        threadKey: TEAMS_FIXTURE_THREAD_KEY,
        from: { address: userId, name: 'Jana Müller' },
        timestamp: new Date('2026-11-10T09:15:20.437Z'),
        content: { text: 'Hi, my order 98765 has not arrived. Can you check?' },
      },
    ]);
  });

  it('maps an Adaptive Card submit to a postback with its data, and messageBack to its payload', () => {
    expect(parseTeamsActivity(teamsFixture('teams-card-submit.json'), now)[0]).toMatchObject({
      content: { postback: { payload: '{"action":"resend","conversationId":"conv_8f2a41c7","shipMethod":"ship_express","shipDate":"2026-11-12"}' } },
    });
    expect(parseTeamsActivity(teamsFixture('teams-message-back.json'), now)[0]).toMatchObject({
      content: { postback: { payload: 'order:98765:resend', title: 'Yes, resend it' } },
    });
  });

  it('ignores conversationUpdate, typing and bot senders', () => {
    expect(parseTeamsActivity(teamsFixture('teams-conversation-update.json'), now)).toEqual([]);
    expect(parseTeamsActivity(activity({ type: 'typing' }), now)).toEqual([]);
    expect(parseTeamsActivity(activity({ from: { id: '28:other', role: 'bot' } }), now)).toEqual([]);
  });

  it('strips the mention of our bot in channels', () => {
    const events = parseTeamsActivity(
      activity({ text: '<at>Acme Support</at> where is my order?', entities: [{ type: 'mention', text: '<at>Acme Support</at>', mentioned: { id: '28:c9e8c047-2a74-40a2-b28a-b162d5f5327c' } }] }),
      now,
    );
    expect(events[0]).toMatchObject({ content: { text: 'where is my order?' } });
  });

  it.each([
    ['invalid JSON', Buffer.from('{')],
    ['a message without id', activity({ id: undefined })],
    ['a serviceUrl that is not a URL', activity({ serviceUrl: 'nope' })],
    ['oversized card data', activity({ value: { blob: 'x'.repeat(2000) } })],
  ])('rejects %s', (_label, body) => {
    expect(() => parseTeamsActivity(body, now)).toThrow(PayloadError);
  });

  it('round-trips the conversation reference through the thread key', () => {
    const ref = { serviceUrl: 'https://smba.trafficmanager.net/amer/', conversationId: '19:abc@thread.tacv2;messageid=1700000000000' };
    expect(teamsConversationOf(teamsThreadKey(ref))).toEqual(ref);
    expect(teamsConversationOf(null)).toBeUndefined();
    expect(teamsConversationOf('no-bar')).toBeUndefined();
  });
});

describe('Teams outbound activities', () => {
  const ref = teamsConversationOf(TEAMS_FIXTURE_THREAD_KEY)!;
  const to = { address: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw' };

  it('sends Markdown text with up to 3 quick replies as imBack suggested actions (teams-reply-suggested-actions.json)', () => {
    const expected = JSON.parse(teamsFixture('teams-reply-suggested-actions.json').toString('utf8'));
    const activity = toTeamsActivity(
      {
        text: '**Order 98765** was returned to us. Shall we resend it?',
        format: 'teams',
        quickReplies: [
          { title: 'Yes, resend it', payload: 'resend' },
          { title: 'Refund instead', payload: 'refund' },
          { title: 'Talk to an agent', payload: 'agent' },
        ],
      },
      ref,
      to,
      TEAMS_TEST_APP_ID,
    );
    expect(activity).toMatchObject({
      type: expected.type,
      from: expected.from.id ? { id: expected.from.id } : {},
      conversation: expected.conversation,
      textFormat: expected.textFormat,
      text: expected.text,
      suggestedActions: expected.suggestedActions,
    });
  });

  it('sends an Adaptive Card as an attachment, unchanged (teams-reply-adaptive-card.json)', () => {
    const expected = JSON.parse(teamsFixture('teams-reply-adaptive-card.json').toString('utf8'));
    const card = expected.attachments[0].content;
    const activity = toTeamsActivity({ adaptiveCard: card }, ref, to, TEAMS_TEST_APP_ID);
    expect(activity.attachments).toEqual(expected.attachments);
    expect(activity.conversation).toEqual(expected.conversation);
    expect(activity.suggestedActions).toBeUndefined();
  });

  it('sends buttons and cards as hero cards whose buttons post back their payloads', () => {
    const activity = toTeamsActivity(
      {
        text: 'Pick one',
        cards: [{ title: 'Boots', subtitle: 'Size 42', imageUrl: 'https://img.example.com/b.png', buttons: [{ title: 'Buy', payload: 'buy' }] }],
        buttons: [{ title: 'Track', url: 'https://t.example.com/1' }, { title: 'Agent', payload: 'agent' }],
        quickReplies: [{ title: 'Later', payload: 'later' }],
      },
      ref,
      to,
      TEAMS_TEST_APP_ID,
    );
    expect(activity.attachmentLayout).toBe('carousel');
    expect(activity.suggestedActions).toBeUndefined();
    expect(activity.attachments).toEqual([
      {
        contentType: 'application/vnd.microsoft.card.hero',
        content: {
          title: 'Boots',
          subtitle: 'Size 42',
          images: [{ url: 'https://img.example.com/b.png' }],
          buttons: [{ type: 'messageBack', title: 'Buy', text: 'Buy', displayText: 'Buy', value: { payload: 'buy' } }],
        },
      },
      {
        contentType: 'application/vnd.microsoft.card.hero',
        content: {
          buttons: [
            { type: 'openUrl', title: 'Track', value: 'https://t.example.com/1' },
            { type: 'messageBack', title: 'Agent', text: 'Agent', displayText: 'Agent', value: { payload: 'agent' } },
          ],
        },
      },
      // Suggested actions do not show on a message with attachments: the quick reply becomes a button.
      { contentType: 'application/vnd.microsoft.card.hero', content: { buttons: [{ type: 'messageBack', title: 'Later', text: 'Later', displayText: 'Later', value: { payload: 'later' } }] } },
    ]);
  });
});

describe('Teams send', () => {
  const adapter = new TeamsAdapter({ now: () => NOW });
  let appSeq = 0;
  // A fresh App ID per test: tokens are cached per credentials.
  const context = () => ({
    channelId: 'c',
    webhookUrl: 'https://x/webhooks/c',
    config: { appId: `app-${++appSeq}`, appPassword: 'secret-password', tokenUrl: `${base}/token` },
  });
  const message = (threadKey: string | null = `${base}/connector/|a:conv-1`) => ({
    messageId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    caseId: 'case-1',
    threadKey,
    to: { address: '29:user' },
    rendered: { text: 'Hello', format: 'teams' as const },
  });

  beforeEach(() => {
    connectorAnswer = { status: 201, body: '{"id":"1736934123456"}' };
    tokenAnswer = { status: 200, body: teamsFixture('teams-bot-token.json').toString('utf8') };
  });

  it('gets a client-credentials token once, then posts the activity to serviceUrl/v3/conversations/{id}/activities', async () => {
    const ctx = context();
    await expect(adapter.send(message(), ctx)).resolves.toEqual({ externalId: '1736934123456' });
    await expect(adapter.send(message(), ctx)).resolves.toEqual({ externalId: '1736934123456' });
    const tokenCalls = received.filter((r) => r.url === '/token');
    expect(tokenCalls).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(tokenCalls[0]!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: ctx.config.appId,
      client_secret: 'secret-password',
      scope: 'https://api.botframework.com/.default',
    });
    const posts = received.filter((r) => r.url.startsWith('/connector/'));
    expect(posts.map((p) => p.url)).toEqual(['/connector/v3/conversations/a%3Aconv-1/activities', '/connector/v3/conversations/a%3Aconv-1/activities']);
    const access = JSON.parse(teamsFixture('teams-bot-token.json').toString('utf8')).response.body.access_token;
    expect(posts[0]!.headers.authorization).toBe(`Bearer ${access}`);
    expect(JSON.parse(posts[0]!.body)).toEqual({ type: 'message', from: { id: `28:${ctx.config.appId}` }, conversation: { id: 'a:conv-1' }, recipient: { id: '29:user' }, textFormat: 'markdown', text: 'Hello' });
  });

  it.each([
    [401, '{"message":"Authorization has been denied"}', 'auth_revoked'],
    [403, '{"message":"Forbidden"}', 'auth_revoked'],
    [404, '{"error":{"code":"ConversationNotFound"}}', 'invalid_recipient'],
    [429, '{}', 'rate_limited'],
    [502, 'Bad Gateway', 'temporary'],
    [413, '{"error":{"code":"MessageSizeTooBig"}}', 'permanent'],
    [400, '{"error":{"code":"BadArgument"}}', 'permanent'],
  ])('classifies a Bot Connector %i as %s', async (status, body, errorClass) => {
    connectorAnswer = { status, body, headers: status === 429 ? { 'retry-after': '12' } : {} };
    const error = await adapter.send(message(), context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).errorClass).toBe(errorClass);
    if (status === 429) expect((error as ProviderError).retryAfterMs).toBe(12_000);
  });

  it('classifies a blocked conversation (teams-send-activity.json blockedResponse) as an invalid recipient', () => {
    const { blockedResponse } = JSON.parse(teamsFixture('teams-send-activity.json').toString('utf8'));
    expect(classifyTeamsStatus(blockedResponse.status, JSON.stringify(blockedResponse.body)).errorClass).toBe('invalid_recipient');
  });

  it('marks wrong credentials as auth_revoked and an unreachable connector as temporary', async () => {
    tokenAnswer = { status: 401, body: '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}' };
    await expect(adapter.send(message(), context())).rejects.toMatchObject({ errorClass: 'auth_revoked' });
    tokenAnswer = { status: 200, body: teamsFixture('teams-bot-token.json').toString('utf8') };
    await expect(adapter.send(message('http://127.0.0.1:1/|a:conv-1'), context())).rejects.toMatchObject({ errorClass: 'temporary' });
  });

  it('refuses a case without a conversation reference', async () => {
    await expect(adapter.send(message(null), context())).rejects.toMatchObject({ errorClass: 'invalid_recipient' });
  });

  it('caches tokens per credentials and refreshes them before expiry', async () => {
    const credentials = { appId: 'cache-app', appPassword: 'pw', tokenUrl: `${base}/token` };
    await getBotToken(credentials, NOW);
    await getBotToken(credentials, NOW + 60_000);
    await getBotToken({ ...credentials, appPassword: 'other' }, NOW);
    await getBotToken(credentials, NOW + 3599_000 - 60_000);
    expect(received.filter((r) => r.url === '/token')).toHaveLength(3);
  });
});
