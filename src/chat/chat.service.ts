import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { ChatConfig } from '../../channels/chat/chat.config';
import { isOriginAllowed } from '../../channels/chat/chat.origin';
import { decodeCursor, encodeCursor } from '../cases/cursor';
import { ChannelsService, type LoadedChannel } from '../channels/channels.service';
import { DomainError, NotFoundError } from '../common/errors';
import { parseOrThrow } from '../common/zod';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { InboundService } from '../inbound/inbound.service';
import { parseMessageSend } from './visitor-content';
import { visitorLabel } from './visitor-label';
import { toVisitorMessage, type VisitorMessageView, visitorProviderMessageId } from './visitor-message';
import { VisitorMessagesRepository } from './visitor-messages.repository';
import { type Visitor, VisitorTokenService } from './visitor-token.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const sessionSchema = z
  .object({
    name: z.string().trim().min(1, 'Cannot be empty').max(200, 'At most 200 characters').optional(),
    email: z.email('Must be an email address').max(320).optional(),
  })
  .strict();
export type SessionInput = z.infer<typeof sessionSchema>;

export const historySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  // Opaque; pages towards older messages.
  cursor: z.string().max(200).optional(),
});
export type HistoryQuery = z.infer<typeof historySchema>;

export const receiptSchema = z.object({
  messageId: z.uuid(),
  status: z.enum(['delivered', 'read']),
});

export interface VisitorSession {
  visitor: Visitor;
  channel: LoadedChannel;
}

// The web chat's rules, shared by the HTTP routes and the /chat gateway: sessions, origins,
// sending through the inbound pipeline, the visitor's history and receipts.
@Injectable()
export class ChatService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly channels: ChannelsService,
    private readonly inbound: InboundService,
    private readonly tokens: VisitorTokenService,
    private readonly messages: VisitorMessagesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // A new anonymous visitor. Their contact is created with their first message, so that page
  // views that never write leave nothing behind.
  async startSession(channelId: string, origin: string | undefined, input: SessionInput): Promise<{ visitorToken: string }> {
    const channel = await this.chatChannel(channelId);
    this.checkOrigin(channel, origin);
    const visitorToken = await this.tokens.issue({ tenantId: channel.entity.tenantId, channelId, id: randomUUID(), ...input });
    return { visitorToken };
  }

  // Every visitor request and connection: a valid token for an enabled chat channel, from an
  // allowed origin.
  async authenticate(token: unknown, origin: string | undefined, channelId?: string): Promise<VisitorSession> {
    const visitor = await this.tokens.verify(token);
    if (channelId !== undefined && channelId !== visitor.channelId) throw new DomainError('UNAUTHORIZED', 'This visitor token belongs to another channel');
    const channel = await this.chatChannel(visitor.channelId);
    if (channel.entity.tenantId !== visitor.tenantId) throw new DomainError('UNAUTHORIZED', 'Invalid visitor token');
    this.checkOrigin(channel, origin);
    return { visitor, channel };
  }

  async send(visitor: Visitor, input: unknown): Promise<{ message: VisitorMessageView; duplicate: boolean }> {
    const { clientMessageId, content } = parseMessageSend(input, (url) => this.isOwnUpload(url));
    // Re-read: the channel may have been disabled since the visitor connected.
    const channel = await this.chatChannel(visitor.channelId);
    const outcome = await this.inbound.ingestMessage(channel, {
      kind: 'message',
      providerMessageId: visitorProviderMessageId(visitor.id, clientMessageId),
      // The name the contact is created with (a contact's name is never changed afterwards).
      from: { address: visitor.id, name: visitorLabel(visitor) },
      timestamp: new Date(),
      content,
    });
    if (outcome.kind !== 'message') throw new Error('Inbound pipeline answered a status for a message');
    if (!outcome.duplicate && visitor.email) await this.rememberEmail(visitor, outcome.caseId, visitor.email);
    const row = await this.messages.one(outcome.id);
    if (!row) throw new NotFoundError('Message');
    return { message: toVisitorMessage(row), duplicate: outcome.duplicate };
  }

  // Oldest first within the page; `nextCursor` pages back in time.
  async history(visitor: Visitor, query: HistoryQuery): Promise<{ items: VisitorMessageView[]; nextCursor: string | null }> {
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.messages.latest(visitor.tenantId, visitor.channelId, visitor.id, query.limit + 1, before);
    const page = rows.slice(0, query.limit);
    const oldest = page[page.length - 1];
    return {
      items: page.reverse().map(toVisitorMessage),
      nextCursor: rows.length > query.limit && oldest ? encodeCursor(oldest.created_at, oldest.id) : null,
    };
  }

  // The widget reports that an agent's message reached the page (delivered) or was seen (read).
  async receipt(visitor: Visitor, input: unknown): Promise<{ applied: boolean }> {
    const { messageId, status } = parseOrThrow(receiptSchema, input ?? {});
    const row = await this.messages.one(messageId);
    if (!row || row.internal || row.direction !== 'outbound' || row.channel_id !== visitor.channelId || row.visitor !== visitor.id) {
      throw new NotFoundError('Message');
    }
    const channel = await this.chatChannel(visitor.channelId);
    const outcome = await this.inbound.applyStatus(channel, { kind: 'status', messageId, status });
    return { applied: outcome.kind === 'status' && outcome.applied };
  }

  liveCase(visitor: Visitor) {
    return this.messages.liveCase(visitor.tenantId, visitor.channelId, visitor.id);
  }

  // Files the widget uploaded are Parley's own media (capability URLs); anything else is a link,
  // which visitors may type as text but not pass off as an attachment.
  isOwnUpload(url: string): boolean {
    const prefix = `${this.config.publicUrl}/media/`;
    return url.startsWith(prefix) && /^[0-9a-f-]{36}\/[\w-]+$/i.test(url.slice(prefix.length));
  }

  async chatChannel(channelId: string): Promise<LoadedChannel> {
    const channel = UUID.test(channelId) ? await this.channels.load(channelId) : null;
    if (!channel || channel.entity.type !== 'chat') throw new DomainError('NOT_FOUND', 'Unknown or disabled chat channel');
    return channel;
  }

  private checkOrigin(channel: LoadedChannel, origin: string | undefined): void {
    if (!isOriginAllowed(channel.context.config as ChatConfig, origin)) {
      throw new DomainError('FORBIDDEN', 'This page’s origin may not use this chat channel');
    }
  }

  // The email a visitor typed is not verified: it is kept on their new contact (so agents can
  // search it) only when no other contact has it, and never merges them with anyone.
  private async rememberEmail(visitor: Visitor, caseId: string, email: string): Promise<void> {
    await this.db.query(
      `UPDATE contacts SET email = $1, updated_at = now()
        WHERE tenant_id = $2 AND id = (SELECT contact_id FROM cases WHERE id = $3) AND email IS NULL
          AND NOT EXISTS (SELECT 1 FROM contacts WHERE tenant_id = $2 AND email = $1)`,
      [email.trim().toLowerCase(), visitor.tenantId, caseId],
    );
  }
}
