import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import type { CaseAccess } from '../cases/case-access';
import { CasesService } from '../cases/cases.service';
import { decodeCursor, encodeCursor } from '../cases/cursor';
import { ChannelsService } from '../channels/channels.service';
import { DomainError } from '../common/errors';
import { type Content, parseContent } from '../content/content.schema';
import { renderContent } from '../content/renderer';
import { isUniqueViolation } from '../database/pg-errors';
import { EventsService } from '../events/events.service';
import { OutboundQueue } from '../outbound/outbound.queue';
import { MessageEntity } from './message.entity';
import { type MessageView, previewOf, toMessageView } from './message-view';

// What a reply would look like on the case's channel, before it is sent (the agent app's preview).
export interface ReplyPreview {
  channelType: string;
  // The Content the adapter would send: native elements kept, the rest degraded into `text`.
  rendered: Content;
  // The text part of `rendered` (for SMS, the whole message); '' when everything is native.
  text: string;
  // Every option with the number a customer may answer with.
  options: Array<{ index: number; title: string; payload: string }>;
  // The messages the text is split into for the channel's length limit.
  parts: string[];
  sms: { encoding: string; segments: number; maxSegments: number | null } | null;
}

export interface ReplyInput {
  content: unknown;
  internal?: boolean;
  idempotencyKey?: string;
}

@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly channels: ChannelsService,
    private readonly events: EventsService,
    private readonly queue: OutboundQueue,
  ) {}

  async history(access: CaseAccess, caseId: string, cursor: string | undefined, limit: number): Promise<{ items: MessageView[]; nextCursor: string | null }> {
    await this.cases.visible(access, caseId);
    const query = this.db
      .getRepository(MessageEntity)
      .createQueryBuilder('m')
      .where('m.tenant_id = :tenantId AND m.case_id = :caseId', { tenantId: access.user.tenantId, caseId });
    if (cursor) {
      const [at, id] = decodeCursor(cursor);
      query.andWhere('(m.created_at, m.id) > (:at::timestamptz, :id::uuid)', { at, id });
    }
    const rows = await query.orderBy('m.created_at', 'ASC').addOrderBy('m.id', 'ASC').take(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toMessageView),
      nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  // The same renderer as a real reply, on the same channel capabilities: one source of truth.
  async preview(access: CaseAccess, caseId: string, input: unknown): Promise<ReplyPreview> {
    const content = parseContent(input);
    const visible = await this.cases.visible(access, caseId);
    const channel = await this.channels.load(visible.channelId, { includeDisabled: true });
    if (!channel) throw new DomainError('CONFLICT', 'The case channel no longer exists');
    const result = renderContent(content, channel.capabilities);
    return {
      channelType: visible.channelType,
      rendered: result.rendered,
      text: result.rendered.text ?? '',
      options: result.options.map(({ index, title, payload }) => ({ index, title, payload })),
      parts: result.parts,
      sms: result.sms ? { ...result.sms, maxSegments: channel.capabilities.limits.maxSmsSegments ?? null } : null,
    };
  }

  async reply(access: CaseAccess, caseId: string, input: ReplyInput): Promise<MessageView> {
    const content = parseContent(input.content);
    const internal = input.internal ?? false;
    const tenantId = access.user.tenantId;
    try {
      // Read before the transaction: on PGlite (one connection) a query outside the transaction's
      // manager would wait for the transaction itself.
      const visible = await this.cases.visible(access, caseId);
      const channel = internal ? null : await this.channels.load(visible.channelId, { includeDisabled: true });
      const message = await this.events.transaction(async (m, events) => {
        const c = await m.findOne(CaseEntity, { where: { tenantId, id: caseId }, lock: { mode: 'pessimistic_write' } });
        if (!c) throw new DomainError('NOT_FOUND', 'Case not found');
        await this.cases.visible(access, caseId, m);
        if (input.idempotencyKey) {
          const existing = await m.findOneBy(MessageEntity, { caseId, idempotencyKey: input.idempotencyKey });
          if (existing) return { entity: existing, created: false };
        }
        if (c.status === 'closed') throw new DomainError('INVALID_TRANSITION', 'A closed case takes no replies');
        const now = new Date();
        const base = {
          id: randomUUID(),
          tenantId,
          caseId,
          channelId: c.channelId,
          direction: 'outbound' as const,
          internal,
          authorType: 'agent' as const,
          authorId: access.user.id,
          content,
          idempotencyKey: input.idempotencyKey ?? null,
          createdAt: now,
        };
        let entity: MessageEntity;
        if (internal) {
          // Notes stay inside Parley: never rendered, never queued.
          entity = await m.save(MessageEntity, m.create(MessageEntity, { ...base, rendered: null, status: 'sent' }));
        } else {
          if (!channel) throw new DomainError('CONFLICT', 'The case channel no longer exists');
          const optedOut: unknown[] = await m.query('SELECT 1 FROM opt_outs WHERE channel_id = $1 AND address = $2', [c.channelId, c.contactAddress]);
          if (optedOut.length > 0) throw new DomainError('RECIPIENT_OPTED_OUT', 'The customer opted out of messages on this channel (STOP)');
          const window = channel.capabilities.replyWindowHours;
          if (window && !content.template) {
            const openUntil = c.lastInboundAt ? new Date(c.lastInboundAt).getTime() + window * 3600_000 : 0;
            if (Date.now() > openUntil) {
              throw new DomainError('WINDOW_CLOSED', `Outside the ${window}-hour reply window only template messages can be sent`);
            }
          }
          const result = renderContent(content, channel.capabilities);
          const maxSegments = channel.capabilities.limits.maxSmsSegments;
          if (maxSegments && result.sms && result.sms.segments > maxSegments) {
            const detail = `needs ${result.sms.segments} SMS segments (${result.sms.encoding}); this channel allows at most ${maxSegments}`;
            throw new DomainError('INVALID_CONTENT', `content: ${detail}`, [{ field: 'content', message: detail }]);
          }
          entity = await m.save(MessageEntity, m.create(MessageEntity, { ...base, rendered: result.rendered, status: 'queued', segments: result.sms?.segments ?? null }));
          await this.queue.enqueue(m, tenantId, entity.id);
          c.lastOptions = result.options.map((o) => ({ index: o.index, title: o.title, payload: o.payload }));
          if (c.status === 'new') c.status = 'open';
          c.lastMessageAt = now;
          c.lastMessagePreview = previewOf(content);
        }
        c.updatedAt = now;
        await m.update(CaseEntity, { id: c.id }, { lastOptions: c.lastOptions, status: c.status, lastMessageAt: c.lastMessageAt, lastMessagePreview: c.lastMessagePreview, updatedAt: now });
        const view = toMessageView(entity);
        events.add({ tenantId, type: 'message.created', caseId, skillId: c.skillId, assigneeId: c.assigneeId, data: { caseId, message: view } });
        if (!internal) this.cases.recordCaseEvent(events, 'case.updated', c, await this.cases.view(m, c));
        return { entity, created: true };
      });
      if (message.created && !internal) this.queue.kick();
      return toMessageView(message.entity);
    } catch (error) {
      // Two requests with the same Idempotency-Key raced: the loser returns the winner's message.
      if (input.idempotencyKey && isUniqueViolation(error)) {
        const existing = await this.db.getRepository(MessageEntity).findOneBy({ caseId, idempotencyKey: input.idempotencyKey });
        if (existing) return toMessageView(existing);
      }
      throw error;
    }
  }
}

