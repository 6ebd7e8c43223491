import { z } from 'zod';
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
import { BOT_FRAMEWORK_OPENID_METADATA_URL, verifyBotFrameworkToken } from './teams.auth';
import { teamsDefinition, type TeamsConfig } from './teams.config';
import { parseTeamsActivity, readActivityEnvelope, teamsConversationOf, toTeamsActivity } from './teams.mapper';
import { getBotToken } from './teams.token';

// Microsoft Teams through the Bot Framework (providers.md §5): JWT-authenticated activities in,
// Bot Connector REST v3 out. Stateless per tenant: the signing keys and access tokens it caches
// are keyed by the endpoints and credentials that produced them.

export const TEAMS_SEND_TIMEOUT_MS = 15_000;
const MAX_REASON_BODY = 200;

export interface TeamsAdapterOptions {
  // Unix epoch milliseconds; token expiry is checked against it.
  now?: () => number;
}

const sendResponseSchema = z.looseObject({ id: z.string().min(1) });

export class TeamsAdapter implements ChannelAdapter<TeamsConfig> {
  readonly kind: ChannelKind = 'teams';
  readonly configSchema = teamsDefinition.configSchema;
  readonly secretFields = teamsDefinition.secretFields;
  private readonly now: () => number;

  constructor(options: TeamsAdapterOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  capabilities(config: TeamsConfig) {
    return teamsDefinition.capabilities(config);
  }

  // The token is checked first; only then is the body read, for the two fields the token must
  // vouch for (serviceUrl) or endorse (channelId).
  async verify(request: WebhookRequest, context: ChannelContext<TeamsConfig>): Promise<void> {
    const authorization = getHeader(request, 'authorization');
    const envelope = authorization ? readActivityEnvelope(request.rawBody) : {};
    await verifyBotFrameworkToken({
      authorization,
      appId: context.config.appId,
      metadataUrl: context.config.openIdMetadataUrl ?? BOT_FRAMEWORK_OPENID_METADATA_URL,
      serviceUrl: envelope.serviceUrl,
      channelId: envelope.channelId,
      nowMs: this.now(),
    });
  }

  parse(request: WebhookRequest): WebhookResult {
    return { events: parseTeamsActivity(request.rawBody, new Date(this.now())) };
  }

  async send(message: OutboundMessage, context: ChannelContext<TeamsConfig>): Promise<SendResult> {
    const ref = teamsConversationOf(message.threadKey);
    // Teams cannot start a conversation from a user id alone (that needs the tenant and a
    // proactive install); a case without a conversation reference cannot be answered.
    if (!ref) throw new ProviderError('invalid_recipient', 'No Teams conversation reference for this case');
    const { config } = context;
    const token = await getBotToken(
      { appId: config.appId, appPassword: config.appPassword, ...(config.tenantId && { tenantId: config.tenantId }), ...(config.tokenUrl && { tokenUrl: config.tokenUrl }) },
      this.now(),
    );
    const activity = toTeamsActivity(message.rendered, ref, message.to, config.appId);
    // POST {serviceUrl}v3/conversations/{conversationId}/activities
    // https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#send-to-conversation
    const base = ref.serviceUrl.endsWith('/') ? ref.serviceUrl : `${ref.serviceUrl}/`;
    const url = `${base}v3/conversations/${encodeURIComponent(ref.conversationId)}/activities`;

    let status: number;
    let body: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
        body: JSON.stringify(activity),
        // The bot token must never follow a redirect to another host.
        redirect: 'manual',
        signal: AbortSignal.timeout(TEAMS_SEND_TIMEOUT_MS),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      body = await response.text();
    } catch (error) {
      throw new ProviderError('temporary', `Bot Connector unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (status >= 200 && status < 300) {
      let parsed;
      try {
        parsed = sendResponseSchema.safeParse(JSON.parse(body));
      } catch {
        parsed = undefined;
      }
      // 201 {"id": "<activity id>"}; some channels answer without an id: the message was still
      // delivered, and retrying would deliver it twice.
      return { externalId: parsed?.success ? parsed.data.id : message.messageId };
    }
    throw classifyTeamsStatus(status, body, parseRetryAfter(retryAfter, this.now()));
  }
}

// Bot Connector error answers (https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis).
export function classifyTeamsStatus(status: number, body: string, retryAfterMs?: number): ProviderError {
  const line = body.replace(/\s+/g, ' ').trim();
  const reason = `Bot Connector answered ${status}${line ? `: ${line.length > MAX_REASON_BODY ? `${line.slice(0, MAX_REASON_BODY)}…` : line}` : ''}`;
  if (status === 429) return new ProviderError('rate_limited', reason, retryAfterMs);
  if (status === 408 || status >= 500) return new ProviderError('temporary', reason, retryAfterMs);
  // 403 with a conversation-level sub-code is about this conversation, not our credentials: the
  // user blocked or uninstalled the bot, or the thread does not accept writes.
  if (status === 403 && /MessageWritesBlocked|ConversationBlockedByUser|BotNotInConversationRoster|BotDisabledByAdmin/i.test(body)) {
    return new ProviderError('invalid_recipient', reason);
  }
  if (status === 401 || status === 403) return new ProviderError('auth_revoked', reason);
  if (status === 404 || status === 410) return new ProviderError('invalid_recipient', reason);
  // 400 (bad activity), 413 (MessageSizeTooBig), redirects and the rest: fails again as is.
  return new ProviderError('permanent', reason);
}

// Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
