import { generateKeyPairSync } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from 'expect';
import { teamsFixture } from '../channels/teams/teams.fixtures';
import { BotFrameworkFake } from './fakes/bot-framework.fake';
import { adminWithSkill, countRows, messageOf, messagesOf, settled, type Admin } from './support/channel-helpers';
import { startApp, type TestApp } from './support/test-app';

// Issue 6, Microsoft Teams end to end: activities signed like the Bot Connector's (RS256 JWTs
// from a local OpenID/JWKS endpoint) in, the Bot Connector REST API of a local fake out.
const APP_ID = 'c9e8c047-2a74-40a2-b28a-b162d5f5327c';
const APP_PASSWORD = 'teams-e2e-app-password-7f3a';
const CONVERSATION = 'a:17I0kl9EkpE1O9PH5TWrzrLNwnWWcfrU7QZjKR0WSfOpzbfcAg2IaydGElSo10tVr4C7Fc6GtieTJX663WuJCc1uA83n4CSrHSgGBj5XNYLcVlJAs2ZX8DbYBPck201w-';
const USER = '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw';

describe('Teams channel', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  const bf = new BotFrameworkFake();
  let n = 0;

  // The recorded activity, pointed at the fake Bot Connector, with a fresh id unless given.
  const activity = (overrides: Record<string, unknown> = {}) => ({
    ...JSON.parse(teamsFixture('teams-message-activity.json').toString('utf8')),
    id: `17943021${String(++n).padStart(5, '0')}`,
    timestamp: new Date().toISOString(),
    serviceUrl: bf.serviceUrl,
    ...overrides,
  });
  // null: no Authorization header at all.
  const post = (body: Record<string, unknown>, authorization: string | null = bf.authorization(body as { serviceUrl?: string }, { aud: APP_ID })) =>
    t.http.request('POST', `/webhooks/${channelId}`, {
      raw: JSON.stringify(body),
      headers: { 'content-type': 'application/json; charset=utf-8', ...(authorization !== null && { authorization }) },
    });
  const reply = (caseId: string, content: unknown) => t.http.post(`/api/v1/cases/${caseId}/messages`, { content }, admin.token);
  const messageRows = () => countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [channelId]);
  const newCase = async (conversationId: string, text = 'Hello') => {
    const res = await post(activity({ conversation: { conversationType: 'personal', id: conversationId }, text }));
    expect(res.status).toBe(200);
    return res.body.caseId as string;
  };

  before(async () => {
    await bf.listen();
    t = await startApp({ env: { OUTBOUND_MAX_ATTEMPTS: '3' } });
    admin = await adminWithSkill(t);
    const channel = await t.http.post(
      '/api/v1/channels',
      { type: 'teams', name: 'Teams', defaultSkillId: admin.skillId, config: { appId: APP_ID, appPassword: APP_PASSWORD, openIdMetadataUrl: bf.openIdMetadataUrl, tokenUrl: bf.tokenUrl } },
      admin.token,
    );
    expect(channel.status).toBe(201);
    expect(channel.body.config).toMatchObject({ appId: APP_ID, appPassword: '***' });
    channelId = channel.body.id;
  });
  after(async () => {
    await t.stop();
    await bf.close();
  });
  beforeEach(() => {
    bf.posts.length = 0;
    bf.respond = () => undefined;
  });

  it('turns an authenticated message activity into a case; a redelivery stores nothing new', async () => {
    const body = activity();
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String), caseId: expect.any(String), duplicate: false });
    const kase = await t.http.get(`/api/v1/cases/${res.body.caseId}`, admin.token);
    expect(kase.body).toMatchObject({ channelType: 'teams', contact: { name: 'Jana Müller', identities: [{ channelType: 'teams', address: USER }] } });
    expect(await messagesOf(t, admin.token, res.body.caseId)).toEqual([
      expect.objectContaining({ direction: 'inbound', content: { text: 'Hi, my order 98765 has not arrived. Can you check?' } }),
    ]);
    expect((await post(body)).body).toEqual({ id: res.body.id, caseId: res.body.caseId, duplicate: true });
  });

  it('refuses tokens with a wrong key, audience, issuer, expiry or serviceUrl with 401 and stores nothing', async () => {
    const before = await messageRows();
    const body = activity({ text: 'forged' });
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const attempts: Array<[string, string | null]> = [
      ['no token', null],
      ['wrong key', bf.authorization(body, { aud: APP_ID }, Date.now(), otherKey)],
      ['wrong audience', bf.authorization(body, { aud: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0' })],
      ['wrong issuer', bf.authorization(body, { aud: APP_ID, iss: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/' })],
      ['expired', bf.authorization(body, { aud: APP_ID, expiresIn: -600 })],
      ['serviceUrl mismatch', bf.authorization({ serviceUrl: 'https://smba.trafficmanager.net/emea/' }, { aud: APP_ID })],
    ];
    for (const [label, authorization] of attempts) {
      const res = await post(body, authorization);
      expect({ label, status: res.status }).toEqual({ label, status: 401 });
    }
    // A token minted for the real serviceUrl, on a body whose serviceUrl was swapped for ours.
    const token = bf.authorization({ serviceUrl: 'https://smba.trafficmanager.net/emea/' }, { aud: APP_ID });
    expect((await post({ ...body, serviceUrl: bf.serviceUrl }, token)).status).toBe(401);
    expect(await messageRows()).toBe(before);
  });

  it('acknowledges conversationUpdate and typing without storing anything', async () => {
    const before = await messageRows();
    const update = JSON.parse(teamsFixture('teams-conversation-update.json').toString('utf8'));
    expect((await post({ ...update, serviceUrl: bf.serviceUrl })).status).toBe(200);
    expect((await post(activity({ type: 'typing', text: undefined }))).status).toBe(200);
    expect(await messageRows()).toBe(before);
  });

  it('replies in the conversation with a bot token; quick replies become suggested actions and a tapped one resolves to its payload', async () => {
    const caseId = await newCase(CONVERSATION, 'My order 98765 never arrived');
    const out = await reply(caseId, {
      text: '**Order 98765** was returned to us. Shall we resend it?',
      format: 'markdown',
      quickReplies: [
        { title: 'Yes, resend it', payload: 'resend' },
        { title: 'Refund instead', payload: 'refund' },
        { title: 'Talk to an agent', payload: 'agent' },
      ],
    });
    expect(out.status).toBe(201);
    expect(await settled(t, admin.token, caseId, out.body.id)).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^17943031\d{5}$/) });

    expect(bf.tokenRequests.at(-1) && Object.fromEntries(bf.tokenRequests.at(-1)!)).toEqual({
      grant_type: 'client_credentials',
      client_id: APP_ID,
      client_secret: APP_PASSWORD,
      scope: 'https://api.botframework.com/.default',
    });
    expect(bf.posts).toHaveLength(1);
    const [sent] = bf.posts;
    expect(sent!.conversationId).toBe(CONVERSATION);
    expect(sent!.authorization).toBe(`Bearer ${bf.accessToken}`);
    // Shaped like shared/fixtures/teams-reply-suggested-actions.json.
    const expected = JSON.parse(teamsFixture('teams-reply-suggested-actions.json').toString('utf8'));
    expect(sent!.activity).toEqual({
      type: 'message',
      from: { id: `28:${APP_ID}` },
      conversation: { id: CONVERSATION },
      recipient: { id: USER },
      textFormat: 'markdown',
      text: expected.text,
      suggestedActions: expected.suggestedActions,
    });

    // imBack posts the title as the customer's message: it resolves to the option's payload.
    const tapped = await post(activity({ text: 'Refund instead', conversation: { conversationType: 'personal', id: CONVERSATION } }));
    expect(tapped.body.caseId).toBe(caseId);
    expect(await messageOf(t, admin.token, caseId, tapped.body.id)).toMatchObject({ content: { text: 'Refund instead', postback: { payload: 'refund' } } });
  });

  it('sends an Adaptive Card as an attachment, and its Action.Submit comes back as a postback', async () => {
    const conversation = 'a:1adaptive-card-conversation';
    const caseId = await newCase(conversation);
    const card = JSON.parse(teamsFixture('teams-reply-adaptive-card.json').toString('utf8')).attachments[0].content;
    const out = await reply(caseId, { adaptiveCard: card });
    await settled(t, admin.token, caseId, out.body.id);
    expect(bf.posts[0]!.activity.attachments).toEqual([{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }]);

    const submit = await post(activity({ text: undefined, conversation: { conversationType: 'personal', id: conversation }, value: { action: 'resend', conversationId: 'conv_8f2a41c7', shipMethod: 'ship_express' } }));
    expect(submit.body.caseId).toBe(caseId);
    expect(await messageOf(t, admin.token, caseId, submit.body.id)).toMatchObject({
      content: { postback: { payload: '{"action":"resend","conversationId":"conv_8f2a41c7","shipMethod":"ship_express"}' } },
    });
  });

  it('sends buttons as a hero card whose messageBack posts back the payload', async () => {
    const conversation = 'a:1buttons-conversation';
    const caseId = await newCase(conversation);
    const out = await reply(caseId, { text: 'What next?', buttons: [{ title: 'Resend', payload: 'order:98765:resend' }, { title: 'Track', url: 'https://track.example.com/98765' }] });
    await settled(t, admin.token, caseId, out.body.id);
    expect(bf.posts[0]!.activity).toMatchObject({
      text: 'What next?',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: {
            buttons: [
              { type: 'messageBack', title: 'Resend', text: 'Resend', displayText: 'Resend', value: { payload: 'order:98765:resend' } },
              { type: 'openUrl', title: 'Track', value: 'https://track.example.com/98765' },
            ],
          },
        },
      ],
    });
    const click = await post(activity({ text: 'Resend', conversation: { conversationType: 'personal', id: conversation }, value: { payload: 'order:98765:resend' } }));
    expect(await messageOf(t, admin.token, caseId, click.body.id)).toMatchObject({ content: { postback: { payload: 'order:98765:resend', title: 'Resend' } } });
  });

  it('classifies Bot Connector errors: 404 fails the message, 429 and 5xx retry, 401 marks the channel', async () => {
    const gone = await newCase('a:1gone-conversation');
    bf.respond = () => ({ status: 404, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } });
    const m1 = await reply(gone, { text: 'Hi' });
    expect(await settled(t, admin.token, gone, m1.body.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('Bot Connector answered 404'), externalId: null });
    expect(bf.posts).toHaveLength(1);

    bf.posts.length = 0;
    bf.respond = (k) => (k === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: {} } : k === 2 ? { status: 502, body: 'Bad Gateway' } : undefined);
    const busy = await newCase('a:1busy-conversation');
    const m2 = await reply(busy, { text: 'Hi again' });
    expect(await settled(t, admin.token, busy, m2.body.id, 20_000)).toMatchObject({ status: 'sent' });
    expect(bf.posts).toHaveLength(3);

    bf.posts.length = 0;
    bf.respond = () => ({ status: 401, body: { message: 'Authorization has been denied for this request.' } });
    const denied = await newCase('a:1denied-conversation');
    const m3 = await reply(denied, { text: 'Hi' });
    expect(await settled(t, admin.token, denied, m3.body.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('Bot Connector answered 401') });
    expect((await t.http.get(`/api/v1/channels/${channelId}`, admin.token)).body).toMatchObject({ health: 'needs_attention', config: { appPassword: '***' } });
  });
});
