import { verifySlackRequest } from '@slack/bolt';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { PayloadError, SignatureError, type InboundEvent } from '../channel-adapter.port';
import { SlackAdapter } from './slack.adapter';
import { classifySlackError } from './slack.errors';
import {
  SLACK_FIXTURE_SIGNATURES,
  SLACK_FIXTURE_TIMESTAMP,
  SLACK_TEST_SIGNING_SECRET,
  slackContentType,
  slackFixture,
} from './slack.fixtures';
import { chunkText, parseSlackWebhook, slackConversationOf, slackThreadKey, toSlackMessage } from './slack.mapper';
import { signSlack, verifySlackSignature } from './slack.signature';

const FIXTURE_NOW = SLACK_FIXTURE_TIMESTAMP * 1000;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('Slack request signature', () => {
  it.each(Object.entries(SLACK_FIXTURE_SIGNATURES))('verifies the recorded %s exactly as Bolt does', (name, signature) => {
    const body = slackFixture(name);
    expect(() => verifySlackSignature(SLACK_TEST_SIGNING_SECRET, String(SLACK_FIXTURE_TIMESTAMP), signature, body, FIXTURE_NOW)).not.toThrow();
    // The official helper agrees on the same bytes.
    expect(() =>
      verifySlackRequest({
        signingSecret: SLACK_TEST_SIGNING_SECRET,
        body: body.toString('utf8'),
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': SLACK_FIXTURE_TIMESTAMP },
        nowMilliseconds: FIXTURE_NOW,
      }),
    ).not.toThrow();
    expect(signSlack(SLACK_TEST_SIGNING_SECRET, SLACK_FIXTURE_TIMESTAMP, body)).toBe(signature);
  });

  const body = slackFixture('slack-event-message.json');
  const signature = SLACK_FIXTURE_SIGNATURES['slack-event-message.json']!;
  const ts = String(SLACK_FIXTURE_TIMESTAMP);

  it.each([
    ['another secret', 'another-secret', ts, signature, FIXTURE_NOW, /does not match/],
    ['a changed body', SLACK_TEST_SIGNING_SECRET, ts, signature, FIXTURE_NOW, /does not match/],
    ['a timestamp over 5 minutes old', SLACK_TEST_SIGNING_SECRET, ts, signature, FIXTURE_NOW + 301_000, /from now/],
    ['a timestamp over 5 minutes ahead', SLACK_TEST_SIGNING_SECRET, ts, signature, FIXTURE_NOW - 301_000, /from now/],
    ['a non-numeric timestamp', SLACK_TEST_SIGNING_SECRET, 'yesterday', signature, FIXTURE_NOW, /unix seconds/],
    ['a signature without v0=', SLACK_TEST_SIGNING_SECRET, ts, signature.slice(3), FIXTURE_NOW, /v0=/],
    ['a missing signature', SLACK_TEST_SIGNING_SECRET, ts, undefined, FIXTURE_NOW, /Missing X-Slack-Signature/],
    ['a missing timestamp', SLACK_TEST_SIGNING_SECRET, undefined, signature, FIXTURE_NOW, /Missing X-Slack-Request-Timestamp/],
  ])('rejects %s', (label, secret, timestamp, sig, now, message) => {
    const bytes = label === 'a changed body' ? Buffer.concat([body, Buffer.from('\n')]) : body;
    expect(() => verifySlackSignature(secret, timestamp, sig, bytes, now)).toThrow(SignatureError);
    expect(() => verifySlackSignature(secret, timestamp, sig, bytes, now)).toThrow(message);
  });

  it('accepts a timestamp within the 5-minute window', () => {
    expect(() => verifySlackSignature(SLACK_TEST_SIGNING_SECRET, ts, signature, body, FIXTURE_NOW + 299_000)).not.toThrow();
  });

  it('verifies through the adapter with the headers in any case', () => {
    const adapter = new SlackAdapter({ now: () => FIXTURE_NOW });
    const context = { channelId: 'c', webhookUrl: 'https://x/webhooks/c', config: { botToken: 'xoxb-1', signingSecret: SLACK_TEST_SIGNING_SECRET } };
    const request = { method: 'POST', query: {}, rawBody: body, headers: { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': signature } };
    expect(() => adapter.verify(request, context)).not.toThrow();
    expect(() => adapter.verify({ ...request, headers: {} }, context)).toThrow(SignatureError);
  });
});

describe('Slack inbound mapping', () => {
  const parse = (rawBody: Buffer) => parseSlackWebhook(rawBody, slackContentType(rawBody));
  const envelope = (event: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    json({
      type: 'event_callback',
      event_id: 'Ev1',
      authorizations: [{ user_id: 'U0BOT1234', is_bot: true }],
      event: { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'hi', ts: '1794302120.000100', ...event },
      ...extra,
    });
  const only = (rawBody: Buffer): InboundEvent => {
    const { events } = parse(rawBody);
    expect(events).toHaveLength(1);
    return events[0]!;
  };

  it('answers url_verification with its challenge and stores nothing', () => {
    const result = parse(slackFixture('slack-url-verification.json'));
    expect(result.events).toEqual([]);
    expect(result.reply).toEqual({ status: 200, contentType: 'application/json', body: JSON.stringify({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' }) });
  });

  it('maps a threaded message to its thread, keyed for dedupe by event_id', () => {
    expect(only(slackFixture('slack-event-message.json'))).toEqual({
      kind: 'message',
      providerMessageId: 'Ev0XYZ6ABC78',
      threadKey: 'C0RST5UVW:1794301999.000200',
      from: { address: 'U0LMN4OPQ' },
      timestamp: new Date(1794302120123),
      content: { text: 'Thanks <@U0BOT1234>, I still need help with order *98765*' },
    });
  });

  it('starts a thread for a top-level channel message, and keeps a DM as one conversation', () => {
    expect(only(envelope({})).kind === 'message' && only(envelope({}))).toMatchObject({ threadKey: 'C1:1794302120.000100' });
    expect(only(envelope({ channel: 'D1', channel_type: 'im' }))).toMatchObject({ threadKey: 'D1' });
    expect(only(envelope({ channel: 'D1', channel_type: 'im', thread_ts: '1794302000.000001' }))).toMatchObject({ threadKey: 'D1:1794302000.000001' });
  });

  it('decodes Slack’s three escapes', () => {
    expect(only(envelope({ text: 'a &lt;b&gt; &amp; c' }))).toMatchObject({ content: { text: 'a <b> & c' } });
  });

  it.each([
    ['a bot_id', { bot_id: 'B1' }],
    ['subtype bot_message', { subtype: 'bot_message', user: undefined }],
    ['our own bot user', { user: 'U0BOT1234' }],
    ['message_changed', { subtype: 'message_changed' }],
    ['message_deleted', { subtype: 'message_deleted' }],
    ['channel_join', { subtype: 'channel_join' }],
    ['no text and no files', { text: '' }],
  ])('ignores a message with %s', (_label, overrides) => {
    expect(parse(envelope(overrides)).events).toEqual([]);
  });

  it('ignores other event types and envelopes', () => {
    expect(parse(envelope({ type: 'app_mention' })).events).toEqual([]);
    expect(parse(json({ type: 'app_rate_limited', minute_rate_limited: 1 })).events).toEqual([]);
  });

  it('keeps a shared file as an attachment linking to Slack', () => {
    const event = only(envelope({ subtype: 'file_share', text: 'see', files: [{ name: 'a.png', mimetype: 'image/png', permalink: 'https://acme.slack.com/files/U1/F1/a.png' }] }));
    expect(event).toMatchObject({ content: { text: 'see', attachments: [{ url: 'https://acme.slack.com/files/U1/F1/a.png', contentType: 'image/png', name: 'a.png' }] } });
  });

  it('maps block_actions (form-encoded) to a postback in the message’s thread', () => {
    expect(only(slackFixture('slack-block-actions.form'))).toEqual({
      kind: 'message',
      providerMessageId: '1794302060.000300:1794302120.218732',
      threadKey: 'C0RST5UVW:1794301999.000200',
      from: { address: 'U0LMN4OPQ', name: 'jana.mueller' },
      timestamp: new Date(1794302120219),
      content: { postback: { payload: 'conv_8f2a41c7', title: 'Yes, resend it' } },
    });
  });

  const interaction = (action: Record<string, unknown>, container: Record<string, unknown> = { type: 'message', message_ts: '1.2', channel_id: 'D9' }) =>
    Buffer.from(`payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, container, actions: [{ action_ts: '3.4', ...action }] }))}`);

  it('reads a static_select choice, and a DM click joins the DM conversation', () => {
    expect(only(interaction({ type: 'static_select', selected_option: { value: 'ship_express', text: { type: 'plain_text', text: 'Express' } } }))).toMatchObject({
      providerMessageId: '1.2:3.4',
      threadKey: 'D9',
      content: { postback: { payload: 'ship_express', title: 'Express' } },
    });
  });

  it('ignores a link button click and non-block_actions interactions', () => {
    expect(parse(interaction({ type: 'button', url: 'https://example.com', text: { text: 'Open' } })).events).toEqual([]);
    expect(parse(Buffer.from(`payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission' }))}`)).events).toEqual([]);
  });

  it.each([
    ['invalid JSON', Buffer.from('{nope'), 'application/json'],
    ['a form without payload', Buffer.from('a=1'), 'application/x-www-form-urlencoded'],
    ['an event without event_id', json({ type: 'event_callback', event: { type: 'message' } }), 'application/json'],
    ['something that is not Slack', json([1, 2]), 'application/json'],
  ])('rejects %s', (_label, body, contentType) => {
    expect(() => parseSlackWebhook(body, contentType)).toThrow(PayloadError);
  });
});

describe('Slack conversation keys', () => {
  it('round-trips channel and thread, and falls back to the user’s DM', () => {
    expect(slackConversationOf(slackThreadKey({ channel: 'C1', threadTs: '1.2' }), 'U1')).toEqual({ channel: 'C1', threadTs: '1.2' });
    expect(slackConversationOf('D1', 'U1')).toEqual({ channel: 'D1' });
    expect(slackConversationOf(null, 'U1')).toEqual({ channel: 'U1' });
  });
});

describe('Slack Block Kit rendering', () => {
  const to = { channel: 'C1', threadTs: '1794301999.000200' };

  it('sends mrkdwn text in a section, into the thread', () => {
    expect(toSlackMessage({ text: 'Hi *there*', format: 'slack-mrkdwn' }, to)).toEqual({
      channel: 'C1',
      thread_ts: '1794301999.000200',
      text: 'Hi *there*',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hi *there*' } }],
      unfurl_links: false,
    });
  });

  it('renders buttons as an actions block whose values are the payloads', () => {
    const message = toSlackMessage({ text: 'Resend?', buttons: [{ title: 'Yes', payload: 'yes' }, { title: 'Track', url: 'https://t.example.com/1' }] }, { channel: 'D1' });
    expect(message.thread_ts).toBeUndefined();
    expect(message.blocks[1]).toEqual({
      type: 'actions',
      elements: [
        { type: 'button', action_id: 'parley_button_1', text: { type: 'plain_text', text: 'Yes', emoji: true }, value: 'yes' },
        { type: 'button', action_id: 'parley_button_2', text: { type: 'plain_text', text: 'Track', emoji: true }, value: 'https://t.example.com/1', url: 'https://t.example.com/1' },
      ],
    });
  });

  it('splits more than 25 buttons over several actions blocks and truncates long titles to 75', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ title: `${'x'.repeat(80)}${i}`, payload: `p${i}` }));
    const { blocks } = toSlackMessage({ buttons }, to);
    expect(blocks.map((b) => b.type)).toEqual(['actions', 'actions']);
    const first = blocks[0] as { elements: Array<{ text: { text: string } }> };
    expect(first.elements).toHaveLength(25);
    expect([...first.elements[0]!.text.text]).toHaveLength(75);
  });

  it('renders a list picker as a static_select', () => {
    const { blocks, text } = toSlackMessage({ listPicker: { title: 'Shipping', items: [{ title: 'Standard', subtitle: '3-5 days', payload: 'ship_standard' }, { title: 'Express', payload: 'ship_express' }] } }, to);
    expect(text).toBe('Shipping');
    expect(blocks).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*Shipping*' },
        accessory: {
          type: 'static_select',
          action_id: 'parley_select_1',
          placeholder: { type: 'plain_text', text: 'Shipping', emoji: true },
          options: [
            { text: { type: 'plain_text', text: 'Standard', emoji: true }, value: 'ship_standard', description: { type: 'plain_text', text: '3-5 days', emoji: true } },
            { text: { type: 'plain_text', text: 'Express', emoji: true }, value: 'ship_express' },
          ],
        },
      },
    ]);
  });

  it('renders a few time slots as buttons and many as a select, answering with the slot start', () => {
    const slot = (h: number) => ({ start: `2026-11-20T${String(h).padStart(2, '0')}:00:00Z`, durationMinutes: 30 });
    const few = toSlackMessage({ timePicker: { title: 'Pick a time', timezone: 'Europe/Madrid', slots: [slot(9), slot(10)] } }, to);
    expect(few.blocks[1]).toMatchObject({ type: 'actions', elements: [{ type: 'button', value: '2026-11-20T09:00:00Z', text: { text: 'Fri, Nov 20, 10:00 AM' } }, { value: '2026-11-20T10:00:00Z' }] });
    const many = toSlackMessage({ timePicker: { title: 'Pick a time', timezone: 'UTC', slots: [8, 9, 10, 11, 12, 13].map(slot) } }, to);
    expect(many.blocks[0]).toMatchObject({ accessory: { type: 'static_select', options: expect.arrayContaining([{ text: expect.anything(), value: '2026-11-20T13:00:00Z' }]) } });
  });

  it('renders cards as sections with an image accessory and their buttons, and rich links and attachments', () => {
    const { blocks } = toSlackMessage(
      {
        cards: [{ title: 'Boots <red>', subtitle: 'Size 42', imageUrl: 'https://img.example.com/b.png', buttons: [{ title: 'Buy', payload: 'buy' }] }],
        richLink: { url: 'https://shop.example.com/b', title: 'Shop' },
        attachments: [
          { url: 'https://files.example.com/a.png', contentType: 'image/png', name: 'a.png' },
          { url: 'https://files.example.com/i.pdf', contentType: 'application/pdf', name: 'invoice.pdf' },
        ],
      },
      to,
    );
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Boots &lt;red&gt;*\nSize 42' }, accessory: { type: 'image', image_url: 'https://img.example.com/b.png', alt_text: 'Boots <red>' } },
      { type: 'actions', elements: [expect.objectContaining({ value: 'buy' })] },
      { type: 'section', text: { type: 'mrkdwn', text: '<https://shop.example.com/b|Shop>' } },
      { type: 'image', image_url: 'https://files.example.com/a.png', alt_text: 'a.png' },
      { type: 'section', text: { type: 'mrkdwn', text: '<https://files.example.com/i.pdf|invoice.pdf>' } },
    ]);
  });

  it('keeps each section within 3000 characters', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i} ${'y'.repeat(10)}`).join('\n');
    const chunks = chunkText(text, 3000);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.length <= 3000)).toBe(true);
    expect(chunks.join('\n')).toBe(text);
  });
});

describe('Slack error classification', () => {
  const platform = (error: string) => new WebAPIPlatformError({ ok: false, error });
  it.each([
    ['invalid_auth', 'auth_revoked'],
    ['token_revoked', 'auth_revoked'],
    ['account_inactive', 'auth_revoked'],
    ['missing_scope', 'auth_revoked'],
    ['channel_not_found', 'invalid_recipient'],
    ['not_in_channel', 'invalid_recipient'],
    ['is_archived', 'invalid_recipient'],
    ['ratelimited', 'rate_limited'],
    ['internal_error', 'temporary'],
    ['msg_too_long', 'permanent'],
    ['invalid_blocks', 'permanent'],
  ])('platform error %s → %s', (code, errorClass) => {
    const classified = classifySlackError(platform(code));
    expect(classified.errorClass).toBe(errorClass);
    expect(classified.message).toContain(code);
  });

  it.each([
    ['rate limited (30 s)', 'rate_limited', new WebAPIRateLimitedError(30), 30_000],
    ['HTTP 429 with Retry-After', 'rate_limited', new WebAPIHTTPError(429, 'Too Many Requests', { 'retry-after': '7' }), 7000],
    ['HTTP 503', 'temporary', new WebAPIHTTPError(503, 'Service Unavailable', {}), undefined],
    ['HTTP 500', 'temporary', new WebAPIHTTPError(500, 'Internal', {}), undefined],
    ['HTTP 404', 'permanent', new WebAPIHTTPError(404, 'Not Found', {}), undefined],
    ['a network error', 'temporary', new WebAPIRequestError(new Error('ECONNREFUSED')), undefined],
    ['an unknown error', 'temporary', new Error('socket hang up'), undefined],
  ])('%s → %s', (_label, errorClass, error, retryAfterMs) => {
    const classified = classifySlackError(error);
    expect(classified.errorClass).toBe(errorClass);
    expect(classified.retryAfterMs).toBe(retryAfterMs);
  });
});
