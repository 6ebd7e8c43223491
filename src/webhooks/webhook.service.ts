import { Injectable, Logger } from '@nestjs/common';
import { type InboundEvent, PayloadError, ProviderError, receivesWebhooks, SignatureError, type WebhookReply, type WebhookRequest } from '../../channels/channel-adapter.port';
import { type AnyChannelAdapter, getAdapter } from '../../channels/channel-registry';
import { ChannelsService, type LoadedChannel } from '../channels/channels.service';
import { toErrorBody } from '../common/error-body';
import { DomainError } from '../common/errors';
import { InboundService } from '../inbound/inbound.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Provider → Parley: find the channel, verify the signature over the raw bytes, parse, store,
// and only then acknowledge. Every failure answers non-2xx with nothing stored, so the provider
// retries what we could not keep.
@Injectable()
export class WebhookService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly channels: ChannelsService,
    private readonly inbound: InboundService,
  ) {}

  async handle(channelId: string, request: WebhookRequest): Promise<WebhookReply> {
    try {
      return await this.process(channelId, request);
    } catch (error) {
      const body = toErrorBody(error);
      if (body.statusCode >= 500) this.logger.error({ err: error, channelId }, 'webhook not stored');
      return { status: body.statusCode, body: JSON.stringify(body), contentType: 'application/json' };
    }
  }

  private async process(channelId: string, request: WebhookRequest): Promise<WebhookReply> {
    const channel = UUID.test(channelId) ? await this.channels.load(channelId) : null;
    if (!channel) throw new DomainError('NOT_FOUND', 'Unknown or disabled channel');
    const adapter = getAdapter(channel.entity.type);
    if (!adapter || !receivesWebhooks(adapter)) throw new DomainError('NOT_FOUND', `Channel type ${channel.entity.type} does not receive webhooks`);

    try {
      await adapter.verify(request, channel.context);
    } catch (error) {
      if (error instanceof SignatureError) throw new DomainError('INVALID_SIGNATURE', error.message);
      throw error;
    }
    let parsed;
    try {
      parsed = await adapter.parse(request, channel.context);
    } catch (error) {
      if (error instanceof PayloadError) throw new DomainError('MALFORMED_PAYLOAD', error.message);
      throw error;
    }
    if (parsed.reply && parsed.events.length === 0) return parsed.reply;

    const events = adapter.prepare ? await this.prepare(adapter, parsed.events, channel) : parsed.events;
    const outcomes = await this.inbound.ingest(channel, events);
    if (adapter.afterStored) {
      const context = channel.context;
      setImmediate(() => {
        adapter.afterStored!(request, context, outcomes).catch((error: unknown) => this.logger.warn({ err: error, channelId }, 'after-store step failed'));
      });
    }
    const acknowledgement = adapter.acknowledge?.(outcomes, channel.context);
    if (acknowledgement) return acknowledgement;
    const only = outcomes.length === 1 ? outcomes[0] : undefined;
    const body =
      only?.kind === 'message'
        ? { id: only.id, caseId: only.caseId, duplicate: only.duplicate }
        : only?.kind === 'status'
          ? { ok: true, messageId: only.messageId, applied: only.applied }
          : { ok: true, results: outcomes };
    return { status: 200, body: JSON.stringify(body), contentType: 'application/json' };
  }

  // A provider failure while fetching what the events need: temporary ones answer 503 so the
  // provider redelivers; anything else is logged and the events are stored without it.
  private async prepare(adapter: AnyChannelAdapter, events: InboundEvent[], channel: LoadedChannel): Promise<InboundEvent[]> {
    try {
      return await adapter.prepare!(events, channel.context);
    } catch (error) {
      if (error instanceof ProviderError && error.retryable) throw new DomainError('UNAVAILABLE', `Provider unavailable: ${error.message}`);
      throw error;
    }
  }
}
