import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, Not } from 'typeorm';
import type { InboundEvent, IngestOutcome } from '../../channels/channel-adapter.port';
import { CaseEntity } from '../cases/case.entity';
import { CasesService } from '../cases/cases.service';
import type { LoadedChannel } from '../channels/channels.service';
import { ContactsService } from '../contacts/contacts.service';
import { isUniqueViolation } from '../database/pg-errors';
import { type EventBatch, EventsService } from '../events/events.service';
import { MessageEntity, type MessageStatus } from '../messages/message.entity';
import { applyPartReceipt, findMessageByPart } from '../messages/message-parts.repository';
import { previewOf, STATUS_RANK, toMessageView } from '../messages/message-view';
import { type BatchItem, InboundBatchStore, type MessageEvent, withPostback } from './inbound-batch.store';
import { MicroBatcher } from './micro-batcher';
type StatusEvent = Extract<InboundEvent, { kind: 'status' }>;

// For sources that resolve the thread themselves (email: a reply names earlier Message-IDs).
export interface IngestOptions {
  // The case the message replies into, whoever sent it: joined while it is not closed. An
  // automated message (auto-reply, bounce) joins it whatever its status, and changes nothing.
  replyToCaseId?: string;
  // Runs inside the message's transaction once a new (non-duplicate) message is stored, so what
  // it writes commits with the message or not at all (email keeps its raw source).
  onStored?: (m: EntityManager, stored: { messageId: string; caseId: string; tenantId: string }) => Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The inbound pipeline: verified, normalised events in; contact, case, message and realtime
// events out. Messages from concurrent requests are stored together, one transaction per batch
// (InboundBatchStore); what needs its own transaction (email threading, SMS consent keywords)
// and any message of a batch that failed takes the one-message path. Either way the caller
// (the webhook) answers only after the commit.
@Injectable()
export class InboundService {
  private readonly logger = new Logger('Inbound');
  private readonly batcher: MicroBatcher<BatchItem, IngestOutcome>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly contacts: ContactsService,
    private readonly cases: CasesService,
    private readonly events: EventsService,
    private readonly batches: InboundBatchStore,
  ) {
    // One batch at a time: what arrives meanwhile makes the next batch, so batches grow with
    // the load. Running two at once measured no faster (bench ingest): a busy customer is in
    // nearly every batch, so the second waits for the first's case locks anyway, and smaller
    // batches cost more per message.
    this.batcher = new MicroBatcher<BatchItem, IngestOutcome>((items) => this.storeBatch(items), { maxBatch: 200, maxInFlight: 1 });
  }

  async ingest(channel: LoadedChannel, events: InboundEvent[]): Promise<IngestOutcome[]> {
    const outcomes: IngestOutcome[] = [];
    // Consecutive messages of one request go together (in order); receipts one by one.
    for (let i = 0; i < events.length; ) {
      const event = events[i]!;
      if (event.kind === 'status') {
        outcomes.push(await this.applyStatus(channel, event));
        i++;
        continue;
      }
      let j = i;
      while (j < events.length && events[j]!.kind === 'message') j++;
      outcomes.push(...(await this.ingestMessages(channel, events.slice(i, j) as MessageEvent[])));
      i = j;
    }
    return outcomes;
  }

  async ingestMessage(channel: LoadedChannel, event: MessageEvent, options: IngestOptions = {}): Promise<IngestOutcome> {
    if (options.replyToCaseId || options.onStored) return this.ingestOne(channel, event, options);
    return (await this.ingestMessages(channel, [event]))[0]!;
  }

  private async ingestMessages(channel: LoadedChannel, events: MessageEvent[]): Promise<IngestOutcome[]> {
    // Consent keywords write opt-outs too: rare, and kept on the path that does.
    if (events.some((e) => e.consent)) {
      const out: IngestOutcome[] = [];
      for (const event of events) out.push(await this.ingestOne(channel, event));
      return out;
    }
    const settled = await this.batcher.submit(events.map((event) => ({ channel, event })));
    return settled.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
  }

  // One transaction for the batch. If it fails (a concurrent instance stored one of its messages
  // first, a deadlock, one message the database refuses), each message is retried alone, so
  // that only the bad one fails and a duplicate is answered as such.
  private async storeBatch(items: BatchItem[]): Promise<Array<PromiseSettledResult<IngestOutcome>>> {
    try {
      const outcomes = await this.events.transaction((m, batch) => this.batches.store(m, batch, items));
      return outcomes.map((value) => ({ status: 'fulfilled', value }));
    } catch (error) {
      if (items.length > 1) this.logger.debug({ err: error, size: items.length }, 'inbound batch failed; storing its messages one by one');
      const out: Array<PromiseSettledResult<IngestOutcome>> = [];
      for (const { channel, event } of items) {
        try {
          out.push({ status: 'fulfilled', value: await this.ingestOne(channel, event) });
        } catch (reason) {
          out.push({ status: 'rejected', reason });
        }
      }
      return out;
    }
  }

  private async ingestOne(channel: LoadedChannel, event: MessageEvent, options: IngestOptions = {}): Promise<IngestOutcome> {
    try {
      return await this.events.transaction((m, batch) => this.store(m, batch, channel, event, options));
    } catch (error) {
      // A concurrent delivery of the same message committed first: ours is the duplicate.
      if (isUniqueViolation(error)) {
        const original = await this.findDuplicate(this.db.manager, channel.entity.id, event.providerMessageId);
        if (original) return original;
      }
      throw error;
    }
  }

  private async findDuplicate(m: EntityManager, channelId: string, providerMessageId: string): Promise<IngestOutcome | null> {
    const rows: Array<{ id: string; case_id: string }> = await m.query(
      'SELECT id, case_id FROM messages WHERE channel_id = $1 AND provider_message_id = $2',
      [channelId, providerMessageId],
    );
    return rows[0] ? { kind: 'message', id: rows[0].id, caseId: rows[0].case_id, duplicate: true } : null;
  }

  private async store(m: EntityManager, batch: EventBatch, channel: LoadedChannel, event: MessageEvent, options: IngestOptions): Promise<IngestOutcome> {
    const ch = channel.entity;
    const duplicate = await this.findDuplicate(m, ch.id, event.providerMessageId);
    if (duplicate) return duplicate;

    const contactId = await this.contacts.resolve(m, ch.tenantId, ch.type, ch.id, event.from);
    const threadKey = event.threadKey ?? '';
    const automated = event.automated ?? false;
    const now = new Date();
    const live = { channelId: ch.id, contactId, threadKey, status: Not('closed' as const) };
    let created = false;
    let c = options.replyToCaseId ? await this.repliedCase(m, ch.id, options.replyToCaseId, automated) : null;
    c ??= await m.findOne(CaseEntity, { where: live, lock: { mode: 'pessimistic_write' } });
    if (!c) {
      // The partial unique index allows one live case per contact, channel and thread: of two
      // racing first messages, one creates the case and the other joins it.
      const inserted: Array<{ id: string }> = await m.query(
        `INSERT INTO cases (tenant_id, channel_id, channel_type, contact_id, contact_address, thread_key, status, skill_id, subject, last_message_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'new', $7, $8, $9, $9, $9)
         ON CONFLICT (channel_id, contact_id, thread_key) WHERE status <> 'closed' DO NOTHING RETURNING id`,
        [ch.tenantId, ch.id, ch.type, contactId, event.from.address, threadKey, ch.defaultSkillId, event.subject ?? null, now],
      );
      created = inserted.length > 0;
      c = await m.findOneOrFail(CaseEntity, { where: live, lock: { mode: 'pessimistic_write' } });
    }

    const content = withPostback(event.content, c);
    const message = m.create(MessageEntity, {
      id: randomUUID(),
      tenantId: ch.tenantId,
      caseId: c.id,
      channelId: ch.id,
      direction: 'inbound',
      internal: false,
      authorType: 'contact',
      authorId: contactId,
      content,
      rendered: null,
      status: 'received',
      providerMessageId: event.providerMessageId,
      automated,
      createdAt: now,
      updatedAt: now,
    });
    await m.save(MessageEntity, message, { reload: false });
    if (event.consent) await this.recordConsent(m, channel, event.from.address, event.consent);
    if (options.onStored) await options.onStored(m, { messageId: message.id, caseId: c.id, tenantId: ch.tenantId });

    // A customer message reopens a pending or resolved case (DOMAIN.md); a machine's does not
    // (an out-of-office answer is not the customer coming back).
    if (!automated && (c.status === 'pending' || c.status === 'resolved')) c.status = 'open';
    c.lastMessageAt = now;
    c.lastMessagePreview = previewOf(content);
    if (!c.lastInboundAt || event.timestamp > new Date(c.lastInboundAt)) c.lastInboundAt = event.timestamp;
    c.updatedAt = now;
    await m.update(CaseEntity, { id: c.id }, { status: c.status, lastMessageAt: now, lastMessagePreview: c.lastMessagePreview, lastInboundAt: c.lastInboundAt, updatedAt: now });

    const view = await this.cases.view(m, c);
    this.cases.recordCaseEvent(batch, created ? 'case.created' : 'case.updated', c, view);
    batch.add({ tenantId: ch.tenantId, type: 'message.created', caseId: c.id, skillId: c.skillId, assigneeId: c.assigneeId, data: { caseId: c.id, message: toMessageView(message) } });
    return { kind: 'message', id: message.id, caseId: c.id, duplicate: false };
  }

  // The case a reply names (email: a known Message-ID), locked. A closed case takes no new
  // messages from people (a new case opens on the same thread); a machine's answer to a mail of
  // that case is still filed there rather than opening a case of its own.
  private async repliedCase(m: EntityManager, channelId: string, caseId: string, automated: boolean): Promise<CaseEntity | null> {
    const c = await m.findOne(CaseEntity, { where: { id: caseId, channelId }, lock: { mode: 'pessimistic_write' } });
    if (!c) return null;
    return c.status !== 'closed' || automated ? c : null;
  }

  // STOP/START keywords (SMS): replies to an opted-out address are refused (MessagesService).
  private async recordConsent(m: EntityManager, channel: LoadedChannel, address: string, consent: 'opted_out' | 'opted_in'): Promise<void> {
    if (consent === 'opted_in') {
      await m.query('DELETE FROM opt_outs WHERE channel_id = $1 AND address = $2', [channel.entity.id, address]);
      return;
    }
    await m.query('INSERT INTO opt_outs (tenant_id, channel_id, address) VALUES ($1, $2, $3) ON CONFLICT (channel_id, address) DO NOTHING', [
      channel.entity.tenantId,
      channel.entity.id,
      address,
    ]);
  }

  async applyStatus(channel: LoadedChannel, event: StatusEvent): Promise<IngestOutcome> {
    const target: MessageStatus = event.status;
    return this.events.transaction(async (m, batch) => {
      const channelId = channel.entity.id;
      const where = event.messageId && UUID.test(event.messageId) ? { id: event.messageId, channelId } : event.externalId ? { externalId: event.externalId, channelId } : null;
      let message = where ? await m.findOne(MessageEntity, { where, lock: { mode: 'pessimistic_write' } }) : null;
      // A later part of a multi-part send reports on its own id.
      if (!message && event.externalId) message = await findMessageByPart(m, channelId, event.externalId);
      // Unknown messages are acknowledged (a provider would retry forever) and ignored.
      if (!message || message.direction !== 'outbound') return { kind: 'status', messageId: message?.id ?? null, applied: false };
      // A multi-part message moves as its parts do; a single-part one as the receipt says.
      const next = (event.externalId ? await applyPartReceipt(m, message, event.externalId, event.status, event.error ?? null) : null) ?? {
        status: target,
        error: target === 'failed' ? (event.error ?? 'Failed at the provider') : message.error,
      };
      if (STATUS_RANK[next.status] <= STATUS_RANK[message.status]) return { kind: 'status', messageId: message.id, applied: false };
      message.status = next.status;
      if (next.status === 'failed') message.error = next.error;
      message.updatedAt = new Date();
      await m.update(MessageEntity, { id: message.id }, { status: message.status, error: message.error, updatedAt: message.updatedAt });
      const c = await m.findOneByOrFail(CaseEntity, { id: message.caseId });
      batch.add({ tenantId: message.tenantId, type: 'message.updated', caseId: c.id, skillId: c.skillId, assigneeId: c.assigneeId, data: { caseId: c.id, message: toMessageView(message) } });
      return { kind: 'status', messageId: message.id, applied: true };
    });
  }
}

