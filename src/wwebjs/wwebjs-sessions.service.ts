import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { toDataURL } from 'qrcode';
import type { InboundEvent } from '../../channels/channel-adapter.port';
import { saveInboundMedia } from '../../channels/whatsapp/web/wwebjs-media';
import { readInbound, toInboundEvent, toStatusEvent } from '../../channels/whatsapp/web/wwebjs.mapper';
import { WwebjsSession, type WwebjsSessionHooks, type WwebjsSessionSnapshot, type WwebjsSessionState } from '../../channels/whatsapp/web/wwebjs-session';
import { ChannelSessions } from '../channels/channel-sessions.registry';
import { ChannelsService, type LoadedChannel } from '../channels/channels.service';
import { DomainError, NotFoundError } from '../common/errors';
import type { Attachment } from '../content/content.schema';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { NoticePublisher } from '../events/notice-publisher';
import { InboundService } from '../inbound/inbound.service';
import { WWEBJS_CLIENT_FACTORY, type WwebjsClientFactory, wwebjsClientOptions } from './wwebjs-client.factory';

// GET /api/v1/channels/:id/session and the `channel.session` socket event.
export interface SessionView {
  channelId: string;
  state: WwebjsSessionState;
  qr: string | null;
  qrDataUrl: string | null;
  updatedAt: string;
}

interface Running {
  tenantId: string;
  session: WwebjsSession;
  view: SessionView;
  // Messages are stored one at a time, in the order WhatsApp Web delivered them.
  inbound: Promise<void>;
  // State changes are published in order too (rendering a QR code is asynchronous).
  states: Promise<void>;
}

// Admin changes made through another instance are picked up this often.
const RESYNC_MS = 30_000;
// whatsapp-web.js never redelivers an event: a message that fails to store is tried again a few
// times before it is given up (and logged as lost).
const STORE_ATTEMPTS = 3;
const STORE_RETRY_MS = 1000;
// A receipt can arrive before the outbound worker recorded the id it belongs to.
const RECEIPT_ATTEMPTS = 5;
const RECEIPT_RETRY_MS = 400;

// Runs one whatsapp-web.js session per enabled WhatsApp channel with provider "web": starts them
// at boot and when an admin creates or enables such a channel, stops them when it is disabled,
// changed to another provider or deleted, and at shutdown. Incoming messages and receipts go
// through the same InboundService as webhooks.
@Injectable()
export class WwebjsSessionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WhatsAppWeb');
  private readonly running = new Map<string, Running>();
  // Last known view of sessions that were stopped, for GET after a disable.
  private readonly stopped = new Map<string, SessionView>();
  // Start/stop of one channel never overlap.
  private readonly pending = new Map<string, Promise<void>>();
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private shuttingDown = false;

  constructor(
    private readonly channels: ChannelsService,
    private readonly registry: ChannelSessions,
    private readonly inbound: InboundService,
    private readonly notices: NoticePublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WWEBJS_CLIENT_FACTORY) private readonly createClient: WwebjsClientFactory,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.wwebjs.enabled) return;
    this.unsubscribe = this.registry.onChanged((channelId) => void this.reconcile(channelId));
    // Not awaited: opening WhatsApp Web takes a while, the server does not wait for it.
    void this.resync();
    this.timer = setInterval(() => void this.resync(), RESYNC_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.pending.values()]);
    await Promise.allSettled([...this.running.keys()].map((channelId) => this.stop(channelId)));
  }

  // GET /api/v1/channels/:id/session
  async view(tenantId: string, channelId: string): Promise<SessionView> {
    const channel = await this.webChannel(tenantId, channelId);
    return this.running.get(channelId)?.view ?? this.stopped.get(channelId) ?? idleView(channelId, channel.updatedAt);
  }

  // POST /api/v1/channels/:id/session/restart: a new browser; the pairing kept by LocalAuth is
  // reused, so a QR code only appears when the phone unlinked the session.
  async restart(tenantId: string, channelId: string): Promise<SessionView> {
    const channel = await this.webChannel(tenantId, channelId);
    if (!channel.enabled) throw new DomainError('CONFLICT', 'The channel is disabled: enable it to start its session');
    await this.serial(channelId, async () => {
      await this.stop(channelId);
      const loaded = await this.channels.load(channelId);
      if (loaded && isWeb(loaded)) await this.start(loaded);
    });
    return this.view(tenantId, channelId);
  }

  // Brings one channel's session in line with the channel: running if and only if the channel
  // is enabled, not deleted, and a WhatsApp channel with provider "web".
  reconcile(channelId: string): Promise<void> {
    return this.serial(channelId, async () => {
      if (this.shuttingDown) return;
      const channel = await this.channels.load(channelId);
      const wanted = channel !== null && isWeb(channel);
      const current = this.running.get(channelId);
      if (wanted && !current) await this.start(channel);
      else if (!wanted && current) await this.stop(channelId);
    });
  }

  private async resync(): Promise<void> {
    try {
      const ids = new Set([...(await this.channels.enabledIds('whatsapp')), ...this.running.keys()]);
      await Promise.all([...ids].map((id) => this.reconcile(id)));
    } catch (error) {
      this.logger.warn({ err: error }, 'WhatsApp Web session resync failed');
    }
  }

  private serial(channelId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.pending.get(channelId) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => this.logger.error({ err: error, channelId }, 'WhatsApp Web session change failed'));
    this.pending.set(channelId, next);
    void next.finally(() => {
      if (this.pending.get(channelId) === next) this.pending.delete(channelId);
    });
    return next;
  }

  private async start(channel: LoadedChannel): Promise<void> {
    const channelId = channel.entity.id;
    const client = await this.createClient(await wwebjsClientOptions(channelId, this.config));
    const session = new WwebjsSession(channelId, client, this.hooks);
    const running: Running = {
      tenantId: channel.entity.tenantId,
      session,
      view: { ...idleView(channelId, new Date()), state: 'starting' },
      inbound: Promise.resolve(),
      states: Promise.resolve(),
    };
    this.running.set(channelId, running);
    this.stopped.delete(channelId);
    this.registry.set(channelId, running.session);
    this.logger.log({ channelId, tenantId: running.tenantId }, 'WhatsApp Web session starting');
    running.session.start().catch((error: unknown) => this.logger.error({ err: error, channelId }, 'WhatsApp Web session could not start'));
  }

  private async stop(channelId: string): Promise<void> {
    const running = this.running.get(channelId);
    if (!running) return;
    this.running.delete(channelId);
    this.registry.delete(channelId, running.session);
    try {
      await running.session.stop();
    } catch (error) {
      this.logger.warn({ err: error, channelId }, 'WhatsApp Web client did not close cleanly');
    }
    const view: SessionView = { channelId, state: 'disconnected', qr: null, qrDataUrl: null, updatedAt: new Date().toISOString() };
    this.stopped.set(channelId, view);
    this.notices.publish({ tenantId: running.tenantId, type: 'channel.session', data: view });
    this.logger.log({ channelId, tenantId: running.tenantId }, 'WhatsApp Web session stopped');
  }

  // What a session reports, for whichever of ours is still the channel's current one.
  private readonly hooks: WwebjsSessionHooks = {
    changed: (session) => {
      const running = this.current(session);
      if (!running) return;
      // Taken now: the session may have moved on by the time the previous change is published.
      const snapshot = session.snapshot;
      running.states = running.states
        .then(() => this.stateChanged(running, session.channelId, snapshot))
        .catch((error: unknown) => this.logger.error({ err: error, channelId: session.channelId }, 'WhatsApp Web session state not recorded'));
    },
    message: (session, raw) => {
      const running = this.current(session);
      if (running) running.inbound = running.inbound.then(() => this.messageReceived(session, raw));
    },
    ack: (session, raw, ack) => {
      const event = toStatusEvent(raw, ack);
      if (event && this.current(session)) void this.receipt(session, event);
    },
  };

  private current(session: WwebjsSession): Running | undefined {
    const running = this.running.get(session.channelId);
    return running?.session === session ? running : undefined;
  }

  private async stateChanged(running: Running, channelId: string, snapshot: WwebjsSessionSnapshot): Promise<void> {
    const { state, qr, reason, updatedAt } = snapshot;
    const qrDataUrl = qr ? await toDataURL(qr, { errorCorrectionLevel: 'L', margin: 2, width: 320 }) : null;
    if (this.running.get(channelId) !== running) return;
    running.view = { channelId, state, qr, qrDataUrl, updatedAt: updatedAt.toISOString() };
    this.notices.publish({ tenantId: running.tenantId, type: 'channel.session', data: running.view });
    const down = state === 'disconnected' || state === 'auth_failure';
    this.logger[down ? 'warn' : 'log']({ channelId, tenantId: running.tenantId, state, reason }, 'WhatsApp Web session state');

    // Health is what the admin acts on: a session that lost its link needs a QR scan or a restart.
    if (down) {
      const why = state === 'auth_failure' ? `WhatsApp Web authentication failed (${reason ?? 'unknown'}): scan a new QR code` : `WhatsApp Web session disconnected (${reason ?? 'unknown'})`;
      await this.channels.markHealth(channelId, 'needs_attention', why);
    } else if (state === 'ready') {
      const channel = await this.channels.load(channelId, { includeDisabled: true });
      if (channel?.entity.health === 'needs_attention') await this.channels.markHealth(channelId, 'ok', null);
    }
  }

  private async messageReceived(session: WwebjsSession, raw: unknown): Promise<void> {
    const channelId = session.channelId;
    const decision = readInbound(raw);
    if (decision.kind === 'ignore') {
      this.logger.debug({ channelId, reason: decision.reason }, 'WhatsApp Web message ignored');
      return;
    }
    const attachment = decision.mediaType ? await this.keepMedia(session, raw, decision.message.id._serialized) : undefined;
    const event = toInboundEvent(decision.message, { ...(attachment && { attachment }) });
    await this.store(session, event, `message ${event.providerMessageId}`);
  }

  // WhatsApp keeps media for a limited time: Parley stores its own copy now. When that fails the
  // message is still stored, with a placeholder naming the media, rather than lost.
  private async keepMedia(session: WwebjsSession, raw: unknown, providerMessageId: string): Promise<Attachment | undefined> {
    const channelId = session.channelId;
    try {
      const sink = (await this.channels.load(channelId))?.context.media;
      return sink ? await saveInboundMedia(raw, sink) : undefined;
    } catch (error) {
      this.logger.warn({ err: error, channelId, providerMessageId }, 'WhatsApp Web media not kept: stored as a placeholder');
      return undefined;
    }
  }

  private async receipt(session: WwebjsSession, event: Extract<InboundEvent, { kind: 'status' }>): Promise<void> {
    for (let attempt = 1; attempt <= RECEIPT_ATTEMPTS; attempt++) {
      const outcome = await this.store(session, event, `receipt ${event.status} for ${event.externalId}`);
      const unmatched = outcome?.kind === 'status' && outcome.messageId === null;
      // Ours but not recorded yet: the send's commit is a moment behind its receipt.
      if (!unmatched || !session.sentRecently(event.externalId!) || session.isStopped) return;
      await delay(RECEIPT_RETRY_MS * attempt);
    }
  }

  private async store(session: WwebjsSession, event: InboundEvent, what: string) {
    const channelId = session.channelId;
    for (let attempt = 1; ; attempt++) {
      try {
        const channel = await this.channels.load(channelId);
        if (!channel) {
          this.logger.warn({ channelId }, `WhatsApp Web ${what} dropped: the channel is disabled or deleted`);
          return undefined;
        }
        const [outcome] = await this.inbound.ingest(channel, [event]);
        return outcome;
      } catch (error) {
        if (attempt >= STORE_ATTEMPTS || session.isStopped) {
          // Loud on purpose: WhatsApp Web will not send it again.
          this.logger.error({ err: error, channelId, attempts: attempt }, `WhatsApp Web ${what} LOST: could not be stored`);
          return undefined;
        }
        await delay(STORE_RETRY_MS * attempt);
      }
    }
  }

  // The channel as the admin API sees it: 404 for other tenants and for channels that have no
  // WhatsApp Web session.
  private async webChannel(tenantId: string, channelId: string) {
    const channel = await this.channels.get(tenantId, channelId);
    if (channel.type !== 'whatsapp' || channel.config.provider !== 'web') throw new NotFoundError('WhatsApp Web session');
    if (!this.config.wwebjs.enabled) throw new DomainError('CONFLICT', 'WhatsApp Web sessions are turned off on this server (set WWEBJS_ENABLED=true)');
    return channel;
  }
}

function isWeb(channel: LoadedChannel): boolean {
  return channel.entity.type === 'whatsapp' && channel.context.config.provider === 'web';
}

function idleView(channelId: string, at: Date): SessionView {
  return { channelId, state: 'disconnected', qr: null, qrDataUrl: null, updatedAt: at.toISOString() };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
