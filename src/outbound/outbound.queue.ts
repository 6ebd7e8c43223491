import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ProviderError, type ThreadEntry } from '../../channels/channel-adapter.port';
import { getSender } from '../../channels/channel-registry';
import { CaseEntity } from '../cases/case.entity';
import { ChannelsService } from '../channels/channels.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventsService } from '../events/events.service';
import { MessageEntity, type MessageStatus } from '../messages/message.entity';
import { partsStatus, recordSentPart, sentPartIds } from '../messages/message-parts.repository';
import { STATUS_RANK, toMessageView } from '../messages/message-view';
import { returnedRows } from '../database/pg-errors';
import { backoffDelay } from './backoff';

interface ClaimedJob {
  id: string;
  message_id: string;
  attempts: number;
}

// A claimed job is hidden from other workers for this long; a worker that dies mid-send gives
// it back when the lease runs out.
const LEASE_SECONDS = 60;
const BATCH = 10;

// The durable outbound queue: rows in `outbound_jobs`, written in the same transaction as the
// message, claimed with FOR UPDATE SKIP LOCKED so several processes share the work.
@Injectable()
export class OutboundQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbound');
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly channels: ChannelsService,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enqueue(m: EntityManager, tenantId: string, messageId: string, runAt = new Date()): Promise<void> {
    await m.query('INSERT INTO outbound_jobs (tenant_id, message_id, run_at) VALUES ($1, $2, $3)', [tenantId, messageId, runAt]);
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  // Called after a commit that enqueued work: deliver now rather than at the next poll.
  kick(): void {
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let claimed = 0;
    try {
      const jobs = await this.claim();
      claimed = jobs.length;
      await Promise.all(jobs.map((job) => this.track(this.deliver(job))));
    } catch (error) {
      this.logger.warn({ err: error }, 'outbound poll failed');
    } finally {
      this.running = false;
      const more = this.again || claimed === BATCH;
      this.again = false;
      this.schedule(more ? 0 : this.config.outbound.pollMs);
    }
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  private async claim(): Promise<ClaimedJob[]> {
    return this.db.query(
      `UPDATE outbound_jobs j SET run_at = now() + make_interval(secs => $2), attempts = j.attempts + 1
        WHERE j.id IN (SELECT id FROM outbound_jobs WHERE run_at <= now() ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING j.id, j.message_id, j.attempts`,
      [BATCH, LEASE_SECONDS],
    ).then((result: ClaimedJob[] | [ClaimedJob[], number]) => returnedRows(result));
  }

  private async deliver(job: ClaimedJob): Promise<void> {
    const message = await this.db.getRepository(MessageEntity).findOneBy({ id: job.message_id });
    // Never re-send what already has an external id (a crash between send and commit is the
    // only way here; the provider already has it).
    if (!message || message.externalId || message.status !== 'queued') {
      await this.db.query('DELETE FROM outbound_jobs WHERE id = $1', [job.id]);
      return;
    }
    const c = await this.db.getRepository(CaseEntity).findOneByOrFail({ id: message.caseId });
    const channel = await this.channels.load(message.channelId, { includeDisabled: true });
    const adapter = channel ? getSender(channel.entity.type) : undefined;
    if (!channel || !adapter) {
      await this.finish(job, message, 'failed', null, channel ? `Channel type ${channel.entity.type} cannot send yet` : 'Channel deleted');
      return;
    }
    const thread = adapter.threadsByReference ? { subject: c.subject, history: await this.history(c.id, message.id) } : {};
    // Parts an earlier attempt delivered are not sent again; each new one is recorded before the
    // next is attempted, so a failure partway resumes where it stopped.
    const sentParts = await sentPartIds(this.db.manager, message.id);
    const onPartSent = (index: number, externalId: string) =>
      recordSentPart(this.db.manager, { tenantId: message.tenantId, messageId: message.id, channelId: message.channelId, index, externalId });
    try {
      const result = await adapter.send(
        {
          messageId: message.id,
          caseId: c.id,
          threadKey: c.threadKey || null,
          to: { address: c.contactAddress },
          rendered: message.rendered ?? message.content,
          ...thread,
          sentParts,
          onPartSent,
        },
        channel.context,
      );
      await this.finish(job, message, 'sent', result.externalId, null);
    } catch (error) {
      const providerError = error instanceof ProviderError ? error : new ProviderError('temporary', error instanceof Error ? error.message : String(error));
      if (providerError.errorClass === 'auth_revoked') {
        await this.channels.markHealth(channel.entity.id, 'needs_attention', providerError.message);
      }
      if (providerError.retryable && job.attempts < this.config.outbound.maxAttempts) {
        const delay = Math.max(providerError.retryAfterMs ?? 0, backoffDelay(job.attempts, this.config.outbound.baseDelayMs));
        await this.db.query('UPDATE outbound_jobs SET run_at = $2, last_error = $3 WHERE id = $1', [job.id, new Date(Date.now() + delay), providerError.message]);
        this.logger.log({ messageId: message.id, attempt: job.attempts, delayMs: delay, errorClass: providerError.errorClass }, 'outbound retry scheduled');
        return;
      }
      await this.finish(job, message, 'failed', null, providerError.message);
    }
  }

  // The provider ids of the case's latest messages before this one, oldest first (email threads
  // a reply with them). Bounded: a References header keeps its root and the recent ids.
  private async history(caseId: string, messageId: string): Promise<ThreadEntry[]> {
    const rows: Array<{ direction: 'inbound' | 'outbound'; provider_id: string }> = await this.db.query(
      `SELECT direction, provider_id FROM (
         SELECT direction, COALESCE(provider_message_id, external_id) AS provider_id, created_at, id
           FROM messages
          WHERE case_id = $1 AND id <> $2 AND internal = false AND COALESCE(provider_message_id, external_id) IS NOT NULL
          ORDER BY created_at DESC, id DESC LIMIT 50) recent
        ORDER BY created_at, id`,
      [caseId, messageId],
    );
    return rows.map((row) => ({ direction: row.direction, providerId: row.provider_id }));
  }

  // Status, external id and the job's removal commit together, with their event.
  private async finish(job: ClaimedJob, message: MessageEntity, status: MessageStatus, externalId: string | null, error: string | null): Promise<void> {
    await this.events.transaction(async (m, events) => {
      await m.query('DELETE FROM outbound_jobs WHERE id = $1', [job.id]);
      const current = await m.findOne(MessageEntity, { where: { id: message.id }, lock: { mode: 'pessimistic_write' } });
      if (!current) return;
      // Receipts for the parts of a multi-part send were kept on the parts until now.
      const parts = status === 'sent' ? await partsStatus(m, current.id) : null;
      const outcome = parts && STATUS_RANK[parts.status] > STATUS_RANK[status] ? parts : { status, error };
      // A receipt may have raced ahead of our own commit (`delivered` before `sent`): keep it.
      if (STATUS_RANK[outcome.status] > STATUS_RANK[current.status]) {
        current.status = outcome.status;
        current.error = outcome.error;
      }
      current.externalId = externalId ?? current.externalId;
      current.updatedAt = new Date();
      await m.update(MessageEntity, { id: current.id }, { status: current.status, externalId: current.externalId, error: current.error, updatedAt: current.updatedAt });
      const c = await m.findOneByOrFail(CaseEntity, { id: current.caseId });
      events.add({ tenantId: current.tenantId, type: 'message.updated', caseId: c.id, skillId: c.skillId, assigneeId: c.assigneeId, data: { caseId: c.id, message: toMessageView(current) } });
    });
  }
}
