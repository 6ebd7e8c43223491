import type { ZodType } from 'zod';
import { zodDetails } from '../src/common/zod';
import { byocCapabilities, CHANNEL_CAPABILITIES } from '../src/content/channel-capabilities';
import { CHANNEL_KINDS, type ChannelKind } from './channel-adapter.port';
import { CHANNEL_DEFINITIONS, getDefinition, isChannelKind } from './channel-registry';

// Each kind's config schema (API.md §4): a valid config passes, a bad one fails naming the field.

const VALID: Record<ChannelKind, Record<string, unknown>[]> = {
  sms: [
    {
      provider: 'twilio',
      accountSid: 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      authToken: 'f3a1c9e2b7d44e0a9c6b5d8e7f1a2b3c',
      from: '+14155550100',
    },
  ],
  whatsapp: [
    {
      provider: 'cloud',
      phoneNumberId: '106540352242922',
      accessToken: 'EAAG-test-token',
      appSecret: '0a9b8c7d6e5f40312a3b4c5d6e7f8091',
      verifyToken: 'verify-me',
      apiBaseUrl: 'http://127.0.0.1:4010',
    },
    {
      provider: 'twilio',
      accountSid: 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      authToken: 'f3a1c9e2b7d44e0a9c6b5d8e7f1a2b3c',
      from: 'whatsapp:+14155238886',
    },
    { provider: 'web' },
  ],
  telegram: [{ botToken: '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11', secretToken: 'tg_webhook_secret_9f2c41' }],
  slack: [{ botToken: 'xoxb-1-2-abc', signingSecret: '8f742231b10e8888abcd99yyyzzz85a5', apiBaseUrl: 'http://localhost:4020/api/' }],
  teams: [
    { appId: 'c9e8c047-2a74-40a2-b28a-b162d5f5327c', appPassword: 'pw' },
    {
      appId: 'c9e8c047-2a74-40a2-b28a-b162d5f5327c',
      appPassword: 'pw',
      tenantId: 'contoso.onmicrosoft.com',
      openIdMetadataUrl: 'http://127.0.0.1:4030/openid',
      tokenUrl: 'http://127.0.0.1:4030/token',
    },
  ],
  email: [
    { address: 'help@example.com', smtp: { host: 'smtp.example.com', port: 587, secure: false } },
    {
      address: 'help@example.com',
      smtp: { host: 'smtp.example.com', port: 465, secure: true, user: 'help@example.com', pass: 'smtp-pass' },
      imap: { host: 'imap.example.com', port: 993, secure: true, user: 'help@example.com', pass: 'imap-pass', mailbox: 'Support' },
    },
  ],
  chat: [{}, { allowedOrigins: ['https://shop.example.com', 'http://localhost:8080'] }, { allowedOrigins: [] }],
  byoc: [
    { callbackUrl: 'https://integrator.example.com/parley' },
    { callbackUrl: 'http://127.0.0.1:9000/cb', capabilities: ['text', 'buttons', 'quickReplies', 'markdown', 'attachments'] },
  ],
};

// [kind, description, config, expected field of the first error]
const INVALID: [ChannelKind, string, Record<string, unknown>, string][] = [
  ['sms', 'missing authToken', { provider: 'twilio', accountSid: 'AC123', from: '+14155550100' }, 'authToken'],
  ['sms', 'a non-E.164 from', { ...VALID.sms[0], from: '415-555-0100' }, 'from'],
  ['sms', 'an API key as accountSid', { ...VALID.sms[0], accountSid: 'SK123' }, 'accountSid'],
  ['sms', 'another provider', { ...VALID.sms[0], provider: 'vonage' }, 'provider'],
  ['sms', 'an empty authToken', { ...VALID.sms[0], authToken: '   ' }, 'authToken'],
  ['whatsapp', 'cloud without phoneNumberId', { ...VALID.whatsapp[0], phoneNumberId: undefined }, 'phoneNumberId'],
  ['whatsapp', 'cloud with the number as phoneNumberId', { ...VALID.whatsapp[0], phoneNumberId: '+14155550100' }, 'phoneNumberId'],
  ['whatsapp', 'twilio with a bare number', { ...VALID.whatsapp[1], from: '+14155238886' }, 'from'],
  ['whatsapp', 'no provider', { phoneNumberId: '1' }, 'provider'],
  ['whatsapp', 'an unknown provider', { provider: 'vonage' }, 'provider'],
  ['telegram', 'missing botToken', { secretToken: 'abc' }, 'botToken'],
  ['telegram', 'a secretToken Telegram refuses', { ...VALID.telegram[0], secretToken: 'has spaces!' }, 'secretToken'],
  ['slack', 'missing signingSecret', { botToken: 'xoxb-1' }, 'signingSecret'],
  ['teams', 'missing appPassword', { appId: 'c9e8c047-2a74-40a2-b28a-b162d5f5327c' }, 'appPassword'],
  ['teams', 'a bad openIdMetadataUrl', { ...VALID.teams[0], openIdMetadataUrl: 'not a url' }, 'openIdMetadataUrl'],
  ['email', 'smtp.port as a string', { address: 'help@example.com', smtp: { host: 'h', port: '587', secure: false } }, 'smtp.port'],
  ['email', 'smtp.port out of range', { address: 'help@example.com', smtp: { host: 'h', port: 70000, secure: false } }, 'smtp.port'],
  ['email', 'no smtp', { address: 'help@example.com' }, 'smtp'],
  ['email', 'a bad address', { ...VALID.email[0], address: 'help' }, 'address'],
  ['email', 'a scheme in smtp.host', { address: 'a@b.co', smtp: { host: 'smtp://h', port: 25, secure: false } }, 'smtp.host'],
  ['email', 'smtp.pass without user', { address: 'a@b.co', smtp: { host: 'h', port: 25, secure: false, pass: 'p' } }, 'smtp.user'],
  ['email', 'imap without pass', { ...VALID.email[0], imap: { host: 'h', port: 993, secure: true, user: 'u' } }, 'imap.pass'],
  ['chat', 'an origin with a path', { allowedOrigins: ['https://shop.example.com/'] }, 'allowedOrigins.0'],
  ['chat', 'an origin that is not a URL', { allowedOrigins: ['shop.example.com'] }, 'allowedOrigins.0'],
  ['byoc', 'an unknown capability', { callbackUrl: 'https://i.example.com', capabilities: ['buttons', 'carousel'] }, 'capabilities.1'],
  ['byoc', 'template as a capability', { callbackUrl: 'https://i.example.com', capabilities: ['template'] }, 'capabilities.0'],
  ['byoc', 'a non-http callbackUrl', { callbackUrl: 'ftp://i.example.com/cb' }, 'callbackUrl'],
  ['byoc', 'no callbackUrl', { capabilities: [] }, 'callbackUrl'],
];

function firstError(schema: ZodType, config: unknown) {
  const result = schema.safeParse(config);
  if (result.success) throw new Error(`expected ${JSON.stringify(config)} to be rejected`);
  return zodDetails(result.error)[0]!;
}

function valueAt(config: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => {
    if (typeof value !== 'object' || value === null) return undefined;
    return (value as Record<string, unknown>)[key];
  }, config);
}

describe.each(CHANNEL_KINDS)('%s config', (kind) => {
  const definition = getDefinition(kind);

  it('is registered under its kind', () => {
    expect(definition.kind).toBe(kind);
    expect(isChannelKind(kind)).toBe(true);
  });

  it.each(VALID[kind].map((config) => [JSON.stringify(config), config] as const))('accepts %s', (_name, config) => {
    const result = definition.configSchema.safeParse(config);
    expect(result.success ? 'ok' : result.error.issues).toBe('ok');
    expect(result.data).toEqual(config);
  });

  it('accepts an apiBaseUrl and rejects one that is not http(s)', () => {
    const [config] = VALID[kind];
    expect(definition.configSchema.safeParse({ ...config, apiBaseUrl: 'http://127.0.0.1:4000/' }).success).toBe(true);
    expect(firstError(definition.configSchema, { ...config, apiBaseUrl: 'javascript:alert(1)' })).toMatchObject({
      field: 'apiBaseUrl',
    });
  });

  it('rejects an unknown field, saying which', () => {
    const [config] = VALID[kind];
    const error = firstError(definition.configSchema, { ...config, colour: 'blue' });
    expect(error.message).toMatch(/Unknown field "colour"; allowed: /);
  });

  it('names secret fields that hold strings in valid configs', () => {
    for (const config of VALID[kind]) {
      for (const path of definition.secretFields) {
        const value = valueAt(config, path);
        if (value !== undefined) expect(typeof value).toBe('string');
      }
    }
  });
});

it.each(INVALID)('%s: rejects %s, naming the field', (kind, _description, config, field) => {
  expect(firstError(CHANNEL_DEFINITIONS[kind].configSchema, config).field).toBe(field);
});

it('declares the starred fields of API.md §4 as secret', () => {
  expect(Object.fromEntries(CHANNEL_KINDS.map((kind) => [kind, [...getDefinition(kind).secretFields].sort()]))).toEqual({
    sms: ['authToken'],
    whatsapp: ['accessToken', 'appSecret', 'authToken', 'verifyToken'],
    telegram: ['botToken', 'secretToken'],
    slack: ['botToken', 'signingSecret'],
    teams: ['appPassword'],
    email: ['imap.pass', 'smtp.pass'],
    chat: [],
    byoc: ['secret'],
  });
});

it('answers each kind its capabilities; byoc from its declared capabilities', () => {
  for (const kind of CHANNEL_KINDS) {
    if (kind !== 'byoc') expect(getDefinition(kind).capabilities(VALID[kind][0]!)).toBe(CHANNEL_CAPABILITIES[kind]);
  }
  const byoc = getDefinition('byoc');
  expect(byoc.capabilities({ callbackUrl: 'https://i.example.com', capabilities: ['buttons', 'markdown'] })).toEqual(
    byocCapabilities(['buttons', 'markdown']),
  );
  expect(byoc.capabilities({ callbackUrl: 'https://i.example.com' })).toEqual(byocCapabilities([]));
});

it('keeps the server-generated byoc secret when a stored config is validated again', () => {
  const stored = { callbackUrl: 'https://i.example.com', secret: 'Zm9vYmFyYmF6cXV4cXV1eC1ieW9jLXNlY3JldA' };
  expect(getDefinition('byoc').configSchema.parse(stored)).toEqual(stored);
});

it('tells a channel kind from any other string', () => {
  expect(isChannelKind('sms')).toBe(true);
  expect(isChannelKind('SmsAdapter')).toBe(false);
  expect(isChannelKind(undefined)).toBe(false);
});
