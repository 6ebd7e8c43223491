import { CONTENT_ELEMENTS } from '../src/content/capabilities.types';
import { contentSchema, TEXT_FORMATS } from '../src/content/content.schema';
import {
  receivesWebhooks,
  SignatureError,
  type ChannelKind,
  type WebhookChannelAdapter,
  type InboundEvent,
  type WebhookRequest,
} from './channel-adapter.port';
import { CONTRACT_FIXTURES } from './channel-contract.fixtures';
import { CHANNEL_ADAPTERS, CHANNEL_DEFINITIONS } from './channel-registry';

// The contract every adapter honours, run against each one with its provider's recorded payloads.
// A new adapter joins by being registered in CHANNEL_ADAPTERS and CONTRACT_FIXTURES.

// Kinds whose inbound arrives another way (email) have no webhook half to test here.
const adapterKinds = (Object.keys(CHANNEL_ADAPTERS) as ChannelKind[]).filter((kind) => receivesWebhooks(CHANNEL_ADAPTERS[kind]!));

function valueAt(config: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => {
    if (typeof value !== 'object' || value === null) return undefined;
    return (value as Record<string, unknown>)[key];
  }, config);
}

function expectWellFormed(event: InboundEvent): void {
  if (event.kind === 'message') {
    expect(typeof event.providerMessageId).toBe('string');
    expect(event.providerMessageId.length).toBeGreaterThan(0);
    expect(event.from.address.length).toBeGreaterThan(0);
    expect(event.timestamp).toBeInstanceOf(Date);
    expect(Number.isNaN(event.timestamp.getTime())).toBe(false);
    if (event.threadKey !== undefined) expect(event.threadKey.length).toBeGreaterThan(0);
    // What parse() hands the core is valid Content, not something to re-validate.
    expect(contentSchema.safeParse(event.content).success).toBe(true);
  } else {
    expect(['sent', 'delivered', 'read', 'failed']).toContain(event.status);
    expect(event.messageId ?? event.externalId).toEqual(expect.any(String));
  }
}

it('has recorded payloads for every adapter', () => {
  expect(adapterKinds.length).toBeGreaterThan(0);
  for (const kind of adapterKinds) {
    expect({ kind, fixtures: CONTRACT_FIXTURES[kind] }).toEqual({ kind, fixtures: expect.anything() });
  }
});

describe.each(adapterKinds.filter((kind) => CONTRACT_FIXTURES[kind] !== undefined))('%s adapter contract', (kind) => {
  const adapter = CHANNEL_ADAPTERS[kind] as WebhookChannelAdapter;
  const fixtures = CONTRACT_FIXTURES[kind]!;
  const { context, wrongSecretContext } = fixtures;

  it('is registered under its own kind, with the same definition', () => {
    expect(adapter.kind).toBe(kind);
    expect(adapter.configSchema).toBe(CHANNEL_DEFINITIONS[kind].configSchema);
    expect(adapter.secretFields).toEqual(CHANNEL_DEFINITIONS[kind].secretFields);
  });

  it('accepts its fixture config, whose secret fields are strings', () => {
    expect(adapter.configSchema.safeParse(context.config).success).toBe(true);
    expect(adapter.configSchema.safeParse(wrongSecretContext.config).success).toBe(true);
    const secrets = adapter.secretFields
      .map((path) => valueAt(context.config, path))
      .filter((value) => value !== undefined);
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(typeof secret).toBe('string');
  });

  it('declares valid capabilities', () => {
    const capabilities = adapter.capabilities(context.config);
    expect(capabilities.native.every((element) => (CONTENT_ELEMENTS as readonly string[]).includes(element))).toBe(true);
    expect(new Set(capabilities.native).size).toBe(capabilities.native.length);
    expect(TEXT_FORMATS).toContain(capabilities.dialect);
    expect(typeof capabilities.receipts).toBe('boolean');
    if (capabilities.replyWindowHours !== undefined) expect(capabilities.replyWindowHours).toBeGreaterThan(0);
    for (const [name, limit] of Object.entries(capabilities.limits)) {
      if (name === 'maxAdaptiveCardVersion') expect(limit).toMatch(/^\d+\.\d+$/);
      else expect({ name, ok: Number.isInteger(limit) && (limit as number) >= 0 }).toEqual({ name, ok: true });
    }
  });

  it('rejects a request without its signature headers', async () => {
    const [first] = fixtures.payloads;
    const unsigned: WebhookRequest = { method: 'POST', headers: {}, query: {}, rawBody: first!.rawBody };
    await expect(attempt(() => adapter.verify(unsigned, context))).rejects.toThrow(SignatureError);
  });

  describe.each(fixtures.payloads.map((payload) => [payload.name, payload] as const))('%s', (_name, payload) => {
    const signed = () => fixtures.signedRequest(payload.rawBody, context, Date.now());

    it('verifies when correctly signed', async () => {
      await expect(attempt(() => adapter.verify(signed(), context))).resolves.toBeUndefined();
    });

    // Providers that sign nothing in the body (tamper: null) are covered by the wrong-secret test.
    if (fixtures.tamper !== null) {
      it('fails verification when the body is tampered with', async () => {
        const request = signed();
        const tamper = fixtures.tamper ?? ((body: Buffer) => Buffer.concat([body, Buffer.from(' ')]));
        const tampered = { ...request, rawBody: tamper(request.rawBody) };
        await expect(attempt(() => adapter.verify(tampered, context))).rejects.toThrow(SignatureError);
      });
    }

    it('fails verification under another secret', async () => {
      await expect(attempt(() => adapter.verify(signed(), wrongSecretContext))).rejects.toThrow(SignatureError);
    });

    it('parses into well-formed events', async () => {
      const result = await adapter.parse(signed(), context);
      expect(result.events).toHaveLength(payload.expected.length);
      result.events.forEach((event, index) => {
        expectWellFormed(event);
        expect(event).toMatchObject(payload.expected[index]!);
      });
    });
  });
});

// verify() may be sync or async: both shapes become a promise.
async function attempt(fn: () => unknown): Promise<void> {
  await fn();
}
