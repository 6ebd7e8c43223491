import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ChannelKind, InboundSender } from '../../channels/channel-adapter.port';
import { ContactEntity, ContactIdentityEntity } from './contact.entity';

export interface ContactView {
  id: string;
  name: string | null;
  identities: Array<{ channelType: string; address: string }>;
}

// Address spaces that belong to one channel rather than to a provider: a BYOC user id or a web
// chat visitor means nothing outside its own channel.
const CHANNEL_SCOPED: ReadonlySet<ChannelKind> = new Set(['byoc', 'chat']);

export function identityScope(kind: ChannelKind, channelId: string): string {
  return CHANNEL_SCOPED.has(kind) ? channelId : '';
}

@Injectable()
export class ContactsService {
  // Finds the contact behind an inbound sender, creating contact and identity on first contact.
  // Identities that share an email or a phone join the same contact. Safe under races: the
  // identity's unique key decides, and the loser reads the winner's row.
  async resolve(m: EntityManager, tenantId: string, kind: ChannelKind, channelId: string, from: InboundSender): Promise<ContactEntity> {
    const scope = identityScope(kind, channelId);
    const key = { tenantId, channelType: kind, scope, address: from.address };
    const existing = await m.findOne(ContactIdentityEntity, { where: key });
    if (existing) return m.findOneOrFail(ContactEntity, { where: { id: existing.contactId, tenantId } });

    const email = from.email?.trim().toLowerCase() || null;
    const phone = from.phone?.trim() || null;
    let contact: ContactEntity | null = null;
    if (email) contact = await m.findOne(ContactEntity, { where: { tenantId, email } });
    if (!contact && phone) contact = await m.findOne(ContactEntity, { where: { tenantId, phone } });
    const created = !contact;
    contact ??= await m.save(ContactEntity, m.create(ContactEntity, { tenantId, name: from.name ?? null, email, phone }));

    const inserted: Array<{ contact_id: string }> = await m.query(
      `INSERT INTO contact_identities (tenant_id, contact_id, channel_type, scope, address)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, channel_type, scope, address) DO NOTHING RETURNING contact_id`,
      [tenantId, contact.id, kind, scope, from.address],
    );
    if (inserted.length === 0) {
      if (created) await m.delete(ContactEntity, { id: contact.id });
      const winner = await m.findOneOrFail(ContactIdentityEntity, { where: key });
      return m.findOneOrFail(ContactEntity, { where: { id: winner.contactId, tenantId } });
    }
    return contact;
  }

  // One query for a page of cases (no N+1).
  async views(m: EntityManager, tenantId: string, contactIds: string[]): Promise<Map<string, ContactView>> {
    const out = new Map<string, ContactView>();
    if (contactIds.length === 0) return out;
    const rows: Array<{ id: string; name: string | null; channel_type: string | null; address: string | null }> = await m.query(
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
