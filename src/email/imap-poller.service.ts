import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EmailConfig } from '../../channels/email/email.config';
import { ChannelsService, type LoadedChannel } from '../channels/channels.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EmailChannelsService } from './email-channels.service';
import { EmailInboundService } from './email-inbound.service';
import { EmailRejectedError } from './email-rejected.error';
import { IMAP_CLIENT_FACTORY, type ImapClientFactory } from './imap-client';
import { ImapMailboxWorker } from './imap-mailbox.worker';
import { ImapStateRepository } from './imap-state.repository';

type ImapConfig = NonNullable<EmailConfig['imap']>;

// Runs one mailbox worker per enabled email channel that has `imap` set. Every IMAP_POLL_MS it
// re-reads the channel list: new channels start, changed ones restart with their new config,
// disabled or deleted ones stop. When several instances run, a lease in imap_states gives each
// mailbox to one of them; an instance that dies hands it over when the lease runs out.
@Injectable()
export class ImapPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ImapPoller');
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly workers = new Map<string, { fingerprint: string; worker: ImapMailboxWorker }>();
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly emailChannels: EmailChannelsService,
    private readonly channels: ChannelsService,
    private readonly state: ImapStateRepository,
    private readonly inbound: EmailInboundService,
    @Inject(IMAP_CLIENT_FACTORY) private readonly clients: ImapClientFactory,
  ) {}

  private get leaseMs(): number {
    return Math.max(3 * this.config.imapPollMs, 30_000);
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.reconciling;
    await Promise.all([...this.workers.keys()].map((id) => this.stopWorker(id)));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.reconciling = this.reconcile().catch((error: unknown) => this.logger.warn({ err: error }, 'IMAP channel refresh failed'));
    await this.reconciling;
    this.reconciling = null;
    this.schedule(this.config.imapPollMs);
  }

  private async reconcile(): Promise<void> {
    const channels = await this.emailChannels.withImap();
    const wanted = new Map(channels.map((channel) => [channel.entity.id, channel]));
    for (const [id, entry] of this.workers) {
      const channel = wanted.get(id);
      if (!channel || fingerprintOf(channel) !== entry.fingerprint) await this.stopWorker(id);
    }
    for (const channel of channels) {
      if (this.stopped) return;
      const id = channel.entity.id;
      const entry = this.workers.get(id);
      if (entry) {
        // A worker whose login was refused waits for new credentials (a config change).
        if (entry.worker.state === 'running' && !(await this.state.renew(id, this.owner, this.leaseMs))) await this.stopWorker(id);
        continue;
      }
      const imap = imapOf(channel);
      const claimed = await this.state.claim(channel.entity, mailboxKey(imap), this.owner, this.leaseMs);
      // Another instance polls this mailbox.
      if (!claimed) continue;
      this.startWorker(channel, imap);
    }
  }

  private startWorker(channel: LoadedChannel, imap: ImapConfig): void {
    const { id, tenantId } = channel.entity;
    const worker = new ImapMailboxWorker({
      channelId: id,
      imap,
      clients: this.clients,
      position: () => this.state.position(id),
      advance: (uid) => this.state.advance(id, uid),
      synced: (uidValidity, lastUid) => this.state.synced(id, uidValidity, lastUid),
      importMail: async (raw) => {
        await this.inbound.deliver(raw, { mailFrom: null }, [channel]);
      },
      isRejection: (error) => error instanceof EmailRejectedError,
      onAuthFailure: (reason) => this.channels.markHealth(id, 'needs_attention', reason),
      pollMs: this.config.imapPollMs,
      maxBytes: this.config.smtpMaxBytes,
      logger: this.logger,
    });
    this.workers.set(id, { fingerprint: fingerprintOf(channel), worker });
    this.logger.log({ tenantId, channelId: id }, 'IMAP polling started');
    worker.start();
  }

  private async stopWorker(id: string): Promise<void> {
    const entry = this.workers.get(id);
    if (!entry) return;
    this.workers.delete(id);
    await entry.worker.stop();
    await this.state.release(id, this.owner).catch((error: unknown) => this.logger.warn({ err: error, channelId: id }, 'IMAP lease not released'));
  }
}

function imapOf(channel: LoadedChannel): ImapConfig {
  // Validated by the email config schema when the channel was saved; withImap() only lists
  // channels that have it.
  return (channel.context.config as EmailConfig).imap!;
}

// What the worker was started with: any config change (new password, other folder) restarts it,
// and gives a worker whose login was refused another try, as it clears the channel's health.
function fingerprintOf(channel: LoadedChannel): string {
  return JSON.stringify(channel.context.config);
}

// The account and folder a stored position belongs to.
function mailboxKey(imap: ImapConfig): string {
  return `imap://${encodeURIComponent(imap.user)}@${imap.host}:${imap.port}/${imap.mailbox ?? 'INBOX'}`;
}
