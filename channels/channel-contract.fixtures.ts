import { byocContractFixtures } from './byoc/byoc.fixtures';
import { slackContractFixtures } from './slack/slack.fixtures';
import { teamsContractFixtures } from './teams/teams.fixtures';
import { telegramContractFixtures } from './telegram/telegram.fixtures';
import { smsContractFixtures } from './sms/sms.fixtures';
import { whatsappContractFixtures } from './whatsapp/whatsapp.fixtures';
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
  // Alters a signed body the way a forger would; verification must then fail. Default: one byte
  // appended, for providers that sign the whole body. Bot Framework tokens bind only the
  // activity's serviceUrl, so Teams changes that instead. null: the provider signs nothing in the
  // body (Telegram's secret header is a shared secret), so there is nothing to tamper with.
  tamper?: ((rawBody: Buffer) => Buffer) | null;
  payloads: readonly RecordedPayload[];
}

export const CONTRACT_FIXTURES: Partial<Record<ChannelKind, AdapterContractFixtures>> = {
  byoc: byocContractFixtures,
  slack: slackContractFixtures,
  teams: teamsContractFixtures,
  sms: smsContractFixtures,
  whatsapp: whatsappContractFixtures,
  telegram: telegramContractFixtures,
};
