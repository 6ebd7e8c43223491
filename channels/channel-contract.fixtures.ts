import { byocContractFixtures } from './byoc/byoc.fixtures';
import type { ChannelContext, ChannelKind, WebhookRequest } from './channel-adapter.port';

// Recorded provider payloads per channel kind, for the shared adapter contract test
// (channel-adapter.contract.spec.ts). Every kind in CHANNEL_ADAPTERS must have an entry here.

export interface RecordedPayload {
  // The file under `<kind>/fixtures/`.
  name: string;
  // The exact bytes the provider sent.
  rawBody: Buffer;
  // What parse() must yield, event by event; each is matched as a subset (toMatchObject).
  expected: readonly Record<string, unknown>[];
}

export interface AdapterContractFixtures {
  // A channel as the core hands it to the adapter: valid config, secrets decrypted.
  context: ChannelContext;
  // The same channel with other secrets: a request signed for `context` must not verify under it.
  wrongSecretContext: ChannelContext;
  // Builds the request the provider would send with `rawBody`, signed the provider's way.
  signedRequest(rawBody: Buffer, context: ChannelContext, nowMs: number): WebhookRequest;
  payloads: readonly RecordedPayload[];
}

export const CONTRACT_FIXTURES: Partial<Record<ChannelKind, AdapterContractFixtures>> = {
  byoc: byocContractFixtures,
};
