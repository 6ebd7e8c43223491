import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import {
  ProviderError,
  type ChannelAdapter,
  type ChannelContext,
  type ChannelKind,
  type OutboundMessage,
  type SendResult,
  type WebhookRequest,
  type WebhookResult,
} from '../channel-adapter.port';
import { getHeader } from '../webhook-request.util';
import { slackDefinition, type SlackConfig } from './slack.config';
import { classifySlackError } from './slack.errors';
import { parseSlackWebhook, slackConversationOf, toSlackMessage } from './slack.mapper';
import { SLACK_SIGNATURE_HEADER, SLACK_TIMESTAMP_HEADER, verifySlackSignature } from './slack.signature';

// Slack through the Events API, interactivity and the Web API (providers.md §4). Stateless: a
// WebClient is made per send from the channel's own token; nothing is kept between calls.

export const SLACK_DEFAULT_API_URL = 'https://slack.com/api/';
// The outbound queue retries with its own backoff; a send must not sit in the SDK's 30-minute
// retry policy holding a worker.
export const SLACK_SEND_TIMEOUT_MS = 10_000;

export interface SlackAdapterOptions {
  // Unix epoch milliseconds; the signature window is measured against it.
  now?: () => number;
}

export class SlackAdapter implements ChannelAdapter<SlackConfig> {
  readonly kind: ChannelKind = 'slack';
  readonly configSchema = slackDefinition.configSchema;
  readonly secretFields = slackDefinition.secretFields;
  private readonly now: () => number;

  constructor(options: SlackAdapterOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  capabilities(config: SlackConfig) {
    return slackDefinition.capabilities(config);
  }

  verify(request: WebhookRequest, context: ChannelContext<SlackConfig>): void {
    verifySlackSignature(
      context.config.signingSecret,
      getHeader(request, SLACK_TIMESTAMP_HEADER),
      getHeader(request, SLACK_SIGNATURE_HEADER),
      request.rawBody,
      this.now(),
    );
  }

  parse(request: WebhookRequest): WebhookResult {
    return parseSlackWebhook(request.rawBody, getHeader(request, 'content-type'));
  }

  async send(message: OutboundMessage, context: ChannelContext<SlackConfig>): Promise<SendResult> {
    const client = new WebClient(context.config.botToken, {
      slackApiUrl: context.config.apiBaseUrl ?? SLACK_DEFAULT_API_URL,
      retryConfig: { retries: 0 },
      // A 429 throws with its Retry-After instead of being waited out inside the SDK.
      rejectRateLimitedCalls: true,
      timeout: SLACK_SEND_TIMEOUT_MS,
      logger: silentLogger,
      // Absolute method URLs must not bypass the configured base (and its token audience).
      allowAbsoluteUrls: false,
    });
    const conversation = slackConversationOf(message.threadKey, message.to.address);
    let result;
    try {
      result = await client.chat.postMessage(toSlackMessage(message.rendered, conversation));
    } catch (error) {
      throw classifySlackError(error);
    }
    // `ts` identifies the posted message within its channel; with the channel it is unique.
    if (!result.ts) throw new ProviderError('permanent', 'Slack accepted the message without returning its ts');
    return { externalId: `${result.channel ?? conversation.channel}:${result.ts}` };
  }
}

// The SDK would print to the console; its failures reach us as thrown errors, which the outbound
// queue logs (structured, redacted) with their class.
const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
