import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ChannelKind, InboundSender } from '../../channels/channel-adapter.port';
import { preparedQuery } from '../database/prepared-query';

export interface ContactView {
  id: string;
  name: string | null;
  identities: Array<{ channelType: string; address: string }>;
}

// Address spaces that belong to one channel rather than to a provider: a BYOC user id or a web
// chat visitor means nothing outside its own channel.
const CHANNEL_SCOPED: ReadonlySet<ChannelKind> = new Set(['byoc', 'chat']);

export interface SenderRef {
  tenantId: string;
  kind: ChannelKind;
  channelId: string;
  from: InboundSender;
}

const SEP = '\u0000';

// One key per identity: the same sender on two channels of a provider is one identity.
export function identityKey(s: SenderRef): string {
  return [s.tenantId, s.kind, identityScope(s.kind, s.channelId), s.from.address].join(SEP);
}

export function identityScope(kind: ChannelKind, channelId: string): string {
  return CHANNEL_SCOPED.has(kind) ? channelId : '';
}

@Injectable()
export class ContactsService {
  // The contact behind one inbound sender (the one-message path): `resolveMany` for one.
  async resolve(m: EntityManager, tenantId: string, kind: ChannelKind, channelId: string, from: InboundSender): Promise<string> {
    const sender = { tenantId, kind, channelId, from };
    return (await this.resolveMany(m, [sender])).get(identityKey(sender))!;
  }

  // Finds the contacts behind inbound senders, creating contacts and identities on first
  // contact, in a fixed number of statements whatever the number of senders: identity key →
  // contact id. A known identity keeps its contact; a new one joins
  // the tenant's contact with the same email or phone (also one created in this call), or a new
  // contact. Identities are inserted in key order, so two batches never wait on each other in a
  // cycle; one that another transaction inserted meanwhile keeps the winner's contact.
  async resolveMany(m: EntityManager, senders: SenderRef[]): Promise<Map<string, string>> {
    const unique = new Map<string, SenderRef>();
    for (const s of senders) if (!unique.has(identityKey(s))) unique.set(identityKey(s), s);
    const keys = [...unique.keys()].sort();
    const parts = keys.map((k) => k.split(SEP));
    const known: Array<{ tenant_id: string; channel_type: string; scope: string; address: string; contact_id: string }> = await preparedQuery(m, 'contacts_known',
      `SELECT i.tenant_id, i.channel_type, i.scope, i.address, i.contact_id
         FROM contact_identities i JOIN unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS k(tenant_id, channel_type, scope, address)
           ON i.tenant_id = k.tenant_id AND i.channel_type = k.channel_type AND i.scope = k.scope AND i.address = k.address`,
      [parts.map((p) => p[0]), parts.map((p) => p[1]), parts.map((p) => p[2]), parts.map((p) => p[3])],
    );
    const out = new Map(known.map((r) => [[r.tenant_id, r.channel_type, r.scope, r.address].join(SEP), r.contact_id]));
    const fresh = keys.filter((k) => !out.has(k)).map((k) => ({ key: k, sender: unique.get(k)!, email: normEmail(unique.get(k)!.from), phone: normPhone(unique.get(k)!.from) }));
    if (fresh.length === 0) return out;

    // Existing contacts to join: by email, else by phone (as `resolve`).
    const tenants = fresh.map((f) => f.sender.tenantId);
    const byEmail = new Map<string, string>();
    const byPhone = new Map<string, string>();
    if (fresh.some((f) => f.email || f.phone)) {
      const matches: Array<{ kind: 'email' | 'phone'; tenant_id: string; value: string; id: string }> = await preparedQuery(m, 'contacts_match',
        `SELECT * FROM (
           SELECT 'email' AS kind, c.tenant_id, c.email AS value, c.id, c.created_at FROM contacts c
             JOIN unnest($1::uuid[], $2::text[]) AS k(tenant_id, v) ON c.tenant_id = k.tenant_id AND c.email = k.v
           UNION ALL
           SELECT 'phone', c.tenant_id, c.phone, c.id, c.created_at FROM contacts c
             JOIN unnest($1::uuid[], $3::text[]) AS k(tenant_id, v) ON c.tenant_id = k.tenant_id AND c.phone = k.v
         ) x ORDER BY created_at DESC`,
        [tenants, fresh.map((f) => f.email), fresh.map((f) => f.phone)],
      );
      // Oldest last, so it wins: the first contact that had this email or phone.
      for (const r of matches) (r.kind === 'email' ? byEmail : byPhone).set(r.tenant_id + SEP + r.value, r.id);
    }
    const newContacts: Array<{ id: string; tenantId: string; name: string | null; email: string | null; phone: string | null }> = [];
    const chosen = new Map<string, string>();
    for (const f of fresh) {
      const t = f.sender.tenantId;
      let id = (f.email ? byEmail.get(t + SEP + f.email) : undefined) ?? (f.phone ? byPhone.get(t + SEP + f.phone) : undefined);
      if (!id) {
        id = randomUUID();
        newContacts.push({ id, tenantId: t, name: f.sender.from.name ?? null, email: f.email, phone: f.phone });
        // Later senders of this batch with the same email or phone join the one just created.
        if (f.email) byEmail.set(t + SEP + f.email, id);
        if (f.phone) byPhone.set(t + SEP + f.phone, id);
      }
      chosen.set(f.key, id);
    }
    if (newContacts.length > 0) {
      await preparedQuery(m, 'contacts_insert',
        `INSERT INTO contacts (id, tenant_id, name, email, phone)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])`,
        [newContacts.map((c) => c.id), newContacts.map((c) => c.tenantId), newContacts.map((c) => c.name), newContacts.map((c) => c.email), newContacts.map((c) => c.phone)],
      );
    }
    const inserted: Array<{ tenant_id: string; channel_type: string; scope: string; address: string; contact_id: string }> = await preparedQuery(m, 'contacts_identities',
      `INSERT INTO contact_identities (tenant_id, contact_id, channel_type, scope, address)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (tenant_id, channel_type, scope, address) DO NOTHING
       RETURNING tenant_id, channel_type, scope, address, contact_id`,
      [tenants, fresh.map((f) => chosen.get(f.key)), fresh.map((f) => f.sender.kind), fresh.map((f) => identityScope(f.sender.kind, f.sender.channelId)), fresh.map((f) => f.sender.from.address)],
    );
    for (const r of inserted) out.set([r.tenant_id, r.channel_type, r.scope, r.address].join(SEP), r.contact_id);
    const lost = fresh.filter((f) => !out.has(f.key));
    if (lost.length > 0) {
      // Another transaction created these identities first: use its contacts, and drop ours
      // where nothing else of this batch uses them.
      const winners = await this.resolveMany(m, lost.map((f) => f.sender));
      for (const f of lost) out.set(f.key, winners.get(f.key)!);
      const used = new Set(out.values());
      const orphans = newContacts.filter((c) => !used.has(c.id)).map((c) => c.id);
      if (orphans.length > 0) await m.query('DELETE FROM contacts WHERE id = ANY($1::uuid[])', [orphans]);
    }
    return out;
  }

  // One query for a page of cases (no N+1).
  async views(m: EntityManager, tenantId: string, contactIds: string[]): Promise<Map<string, ContactView>> {
    const out = new Map<string, ContactView>();
    if (contactIds.length === 0) return out;
    const rows: Array<{ id: string; name: string | null; channel_type: string | null; address: string | null }> = await preparedQuery(m, 'contacts_views',
      `SELECT c.id, c.name, i.channel_type, i.address
         FROM contacts c LEFT JOIN contact_identities i ON i.contact_id = c.id
        WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[])
        ORDER BY i.created_at`,
      [tenantId, [...new Set(contactIds)]],
    );
    for (const r of rows) {
      const view = out.get(r.id) ?? { id: r.id, name: r.name, identities: [] };
      if (r.channel_type && r.address) view.identities.push({ channelType: r.channel_type, address: r.address });
      out.set(r.id, view);
    }
    return out;
  }
}

function normEmail(from: InboundSender): string | null {
  return from.email?.trim().toLowerCase() || null;
}

function normPhone(from: InboundSender): string | null {
  return from.phone?.trim() || null;
}
