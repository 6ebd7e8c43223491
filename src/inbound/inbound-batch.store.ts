import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InboundEvent, IngestOutcome } from '../../channels/channel-adapter.port';
import type { CaseEntity } from '../cases/case.entity';
import { caseFromRow } from '../cases/case-row';
import { CasesService } from '../cases/cases.service';
import type { LoadedChannel } from '../channels/channels.service';
import { ContactsService, identityKey } from '../contacts/contacts.service';
import type { Content } from '../content/content.schema';
import { resolvePostback } from '../content/postback';
import type { EventBatch } from '../events/events.service';
import type { MessageEntity } from '../messages/message.entity';
import { preparedQuery } from '../database/prepared-query';
import { previewOf, toMessageView } from '../messages/message-view';

export type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;

export interface BatchItem {
  channel: LoadedChannel;
  event: MessageEvent;
}

type MessageOutcome = Extract<IngestOutcome, { kind: 'message' }>;

// Everything one transaction needs to know about a message on its way in.
interface Work {
  item: BatchItem;
  contactId?: string;
  caseKey?: string;
  outcome?: MessageOutcome;
  // Set for a second copy of a message earlier in the same batch.
  copyOf?: Work;
}

const SEP = '\u0000';

// The inbound pipeline for many messages at once: the same rules as InboundService's
// one-message path (dedupe on the provider id, one live case per contact, channel and thread,
// reopen on a customer's message, typed answers as postbacks), in a fixed number of statements
// per batch instead of a dozen per message. Locks are taken in one order (identities by key,
// new cases by key, live cases by id, then the tenant's event counter) so that concurrent
// batches, and the one-message path, queue behind each other instead of deadlocking.
@Injectable()
export class InboundBatchStore {
  constructor(
    private readonly contacts: ContactsService,
    private readonly cases: CasesService,
  ) {}

  async store(m: EntityManager, events: EventBatch, items: BatchItem[]): Promise<MessageOutcome[]> {
    const work: Work[] = items.map((item) => ({ item }));
    const fresh = await this.dedupe(m, work);
    if (fresh.length > 0) {
      await this.resolveContacts(m, fresh);
      const cases = await this.lockCases(m, fresh);
      await this.write(m, events, fresh, cases);
    }
    return work.map((w) => {
      if (w.outcome) return w.outcome;
      const first = w.copyOf!.outcome!;
      return { ...first, duplicate: true };
    });
  }

  // Messages already stored, and second copies within the batch, answer as duplicates of the
  // original; the rest are returned, in order.
  private async dedupe(m: EntityManager, work: Work[]): Promise<Work[]> {
    const firstByKey = new Map<string, Work>();
    const originals: Work[] = [];
    for (const w of work) {
      const key = w.item.channel.entity.id + SEP + w.item.event.providerMessageId;
      const first = firstByKey.get(key);
      if (first) w.copyOf = first;
      else {
        firstByKey.set(key, w);
        originals.push(w);
      }
    }
    const rows: Array<{ id: string; case_id: string; channel_id: string; provider_message_id: string }> = await preparedQuery(m, 'inbound_dedupe',
      `SELECT m.id, m.case_id, m.channel_id, m.provider_message_id
         FROM messages m JOIN unnest($1::uuid[], $2::text[]) AS k(channel_id, provider_message_id)
           ON m.channel_id = k.channel_id AND m.provider_message_id = k.provider_message_id`,
      [originals.map((w) => w.item.channel.entity.id), originals.map((w) => w.item.event.providerMessageId)],
    );
    for (const r of rows) {
      const w = firstByKey.get(r.channel_id + SEP + r.provider_message_id);
      if (w) w.outcome = { kind: 'message', id: r.id, caseId: r.case_id, duplicate: true };
    }
    return originals.filter((w) => !w.outcome);
  }

  private async resolveContacts(m: EntityManager, work: Work[]): Promise<void> {
    const senders = work.map((w) => {
      const ch = w.item.channel.entity;
      return { tenantId: ch.tenantId, kind: ch.type, channelId: ch.id, from: w.item.event.from };
    });
    const contacts = await this.contacts.resolveMany(m, senders);
    work.forEach((w, i) => {
      w.contactId = contacts.get(identityKey(senders[i]!))!;
      w.caseKey = [w.item.channel.entity.id, w.contactId, w.item.event.threadKey ?? ''].join(SEP);
    });
  }

  // The live case of every (channel, contact, thread), locked; missing ones are opened first.
  // The partial unique index allows one live case per key: of two racing first messages, one
  // opens the case and the other waits for it and joins.
  private async lockCases(m: EntityManager, work: Work[]): Promise<Map<string, { entity: CaseEntity; created: boolean }>> {
    const firstByKey = new Map<string, Work>();
    for (const w of work) if (!firstByKey.has(w.caseKey!)) firstByKey.set(w.caseKey!, w);
    const out = new Map<string, { entity: CaseEntity; created: boolean }>();
    const select = async (keys: string[]) => {
      if (keys.length === 0) return;
      const parts = keys.map((k) => k.split(SEP));
      const rows: Record<string, unknown>[] = await preparedQuery(m, 'inbound_cases_lock',
        `SELECT c.* FROM cases c JOIN unnest($1::uuid[], $2::uuid[], $3::text[]) AS k(channel_id, contact_id, thread_key)
            ON c.channel_id = k.channel_id AND c.contact_id = k.contact_id AND c.thread_key = k.thread_key
          WHERE c.status <> 'closed' ORDER BY c.id FOR UPDATE OF c`,
        [parts.map((p) => p[0]), parts.map((p) => p[1]), parts.map((p) => p[2])],
      );
      for (const row of rows) {
        const entity = caseFromRow(row);
        out.set([entity.channelId, entity.contactId, entity.threadKey].join(SEP), { entity, created: false });
      }
    };
    await select([...firstByKey.keys()]);

    const missing = [...firstByKey.keys()].filter((k) => !out.has(k)).sort();
    if (missing.length > 0) {
      const now = new Date().toISOString();
      const firsts = missing.map((k) => firstByKey.get(k)!.item);
      const rows: Record<string, unknown>[] = await preparedQuery(m, 'inbound_cases_open',
        `INSERT INTO cases (tenant_id, channel_id, channel_type, contact_id, contact_address, thread_key, status, skill_id, subject, last_message_at, created_at, updated_at)
         SELECT k.tenant_id, k.channel_id, k.channel_type, k.contact_id, k.contact_address, k.thread_key, 'new', k.skill_id, k.subject, $9::timestamptz, $9::timestamptz, $9::timestamptz
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::uuid[], $8::text[])
             AS k(tenant_id, channel_id, channel_type, contact_id, contact_address, thread_key, skill_id, subject)
         ON CONFLICT (channel_id, contact_id, thread_key) WHERE status <> 'closed' DO NOTHING RETURNING *`,
        [
          firsts.map((i) => i.channel.entity.tenantId),
          firsts.map((i) => i.channel.entity.id),
          firsts.map((i) => i.channel.entity.type),
          missing.map((k) => k.split(SEP)[1]),
          firsts.map((i) => i.event.from.address),
          missing.map((k) => k.split(SEP)[2]),
          firsts.map((i) => i.channel.entity.defaultSkillId),
          firsts.map((i) => i.event.subject ?? null),
          now,
        ],
      );
      for (const row of rows) {
        const entity = caseFromRow(row);
        out.set([entity.channelId, entity.contactId, entity.threadKey].join(SEP), { entity, created: true });
      }
      // Opened meanwhile by another transaction, which has committed by now: join it.
      await select(missing.filter((k) => !out.has(k)));
    }
    for (const key of firstByKey.keys()) if (!out.has(key)) throw new Error('Inbound batch: no live case after opening one');
    return out;
  }

  private async write(m: EntityManager, events: EventBatch, work: Work[], cases: Map<string, { entity: CaseEntity; created: boolean }>): Promise<void> {
    // Taken after the locks: a message of a case is never dated before one stored by the
    // transaction that held its lock before us. Messages of one case in one batch get distinct,
    // increasing times so that history (created_at, id) keeps their order.
    const now = Date.now();
    const messages: MessageEntity[] = [];
    const byCase = new Map<string, MessageEntity[]>();
    for (const w of work) {
      const { channel, event } = w.item;
      const c = cases.get(w.caseKey!)!.entity;
      const last = c.lastMessageAt ? new Date(c.lastMessageAt).getTime() : 0;
      const at = new Date(Math.max(now, last + 1));
      const content = withPostback(event.content, c);
      const automated = event.automated ?? false;
      const message = {
        id: randomUUID(),
        tenantId: channel.entity.tenantId,
        caseId: c.id,
        channelId: channel.entity.id,
        direction: 'inbound',
        internal: false,
        authorType: 'contact',
        authorId: w.contactId!,
        content,
        rendered: null,
        status: 'received',
        providerMessageId: event.providerMessageId,
        externalId: null,
        error: null,
        idempotencyKey: null,
        automated,
        segments: null,
        createdAt: at,
        updatedAt: at,
      } as MessageEntity;
      messages.push(message);
      byCase.set(c.id, [...(byCase.get(c.id) ?? []), message]);
      // A customer message reopens a pending or resolved case (DOMAIN.md); a machine's does not.
      if (!automated && (c.status === 'pending' || c.status === 'resolved')) c.status = 'open';
      c.lastMessageAt = at;
      c.lastMessagePreview = previewOf(content);
      if (!c.lastInboundAt || event.timestamp > new Date(c.lastInboundAt)) c.lastInboundAt = event.timestamp;
      c.updatedAt = at;
      w.outcome = { kind: 'message', id: message.id, caseId: c.id, duplicate: false };
    }

    const byId = new Map([...cases.values()].map((c) => [c.entity.id, c]));
    const touched = [...byCase.keys()].map((id) => byId.get(id)!);
    // The messages and their cases' new state in one statement.
    await preparedQuery(m, 'inbound_write',
      `WITH written AS (
         INSERT INTO messages (id, tenant_id, case_id, channel_id, direction, internal, author_type, author_id, content, status, provider_message_id, automated, created_at, updated_at)
         SELECT u.id, u.tenant_id, u.case_id, u.channel_id, 'inbound', false, 'contact', u.author_id, u.content, 'received', u.provider_message_id, u.automated, u.at, u.at
           FROM jsonb_to_recordset($1::jsonb)
             AS u(id uuid, tenant_id uuid, case_id uuid, channel_id uuid, author_id uuid, content jsonb, provider_message_id text, automated boolean, at timestamptz))
       UPDATE cases c SET status = u.status, last_message_at = u.at, last_message_preview = u.preview, last_inbound_at = u.inbound_at, updated_at = u.at
         FROM jsonb_to_recordset($2::jsonb) AS u(id uuid, status text, at timestamptz, preview text, inbound_at timestamptz)
        WHERE c.id = u.id`,
      // As JSON documents: one native serialisation instead of escaping every array element.
      [
        JSON.stringify(
          messages.map((x) => ({
            id: x.id,
            tenant_id: x.tenantId,
            case_id: x.caseId,
            channel_id: x.channelId,
            author_id: x.authorId,
            content: x.content,
            provider_message_id: x.providerMessageId,
            automated: x.automated,
            at: x.createdAt,
          })),
        ),
        JSON.stringify(
          touched.map((t) => ({
            id: t.entity.id,
            status: t.entity.status,
            at: t.entity.lastMessageAt,
            preview: t.entity.lastMessagePreview,
            inbound_at: t.entity.lastInboundAt,
          })),
        ),
      ],
    );

    // Per case: its case.created or case.updated (the state after the whole batch), then its
    // messages, in order.
    const byTenant = new Map<string, Array<{ entity: CaseEntity; created: boolean }>>();
    for (const t of touched) byTenant.set(t.entity.tenantId, [...(byTenant.get(t.entity.tenantId) ?? []), t]);
    for (const [tenantId, list] of byTenant) {
      const views = await this.cases.views(m, tenantId, list.map((t) => t.entity));
      list.forEach(({ entity: c, created }, i) => {
        this.cases.recordCaseEvent(events, created ? 'case.created' : 'case.updated', c, views[i]!);
        for (const message of byCase.get(c.id)!) {
          events.add({ tenantId, type: 'message.created', caseId: c.id, skillId: c.skillId, assigneeId: c.assigneeId, data: { caseId: c.id, message: toMessageView(message) } });
        }
      });
    }
  }
}

// A typed answer to the options of our latest message ("2", or an option's title) arrives as a
// postback, exactly as if the customer had pressed the button.
export function withPostback(content: Content, c: CaseEntity): Content {
  if (content.postback || !content.text || !c.lastOptions?.length) return content;
  const match = resolvePostback(content.text, c.lastOptions);
  return match ? { ...content, postback: match } : content;
}
