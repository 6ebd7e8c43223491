import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { VisitorMessageRow } from './visitor-message';

// Reads a visitor's conversation: the messages of every case of this visitor on this channel
// (a closed case and the next one read as one conversation), internal notes never included.
const SELECT = `
  SELECT m.id, m.channel_id, c.contact_address AS visitor, m.direction, m.internal, m.author_type,
         CASE WHEN m.author_type = 'agent' THEN u.name WHEN m.author_type = 'contact' THEN k.name END AS author_name,
         m.content, m.rendered, m.status, m.provider_message_id, m.created_at
    FROM messages m
    JOIN cases c ON c.id = m.case_id
    LEFT JOIN users u ON m.author_type = 'agent' AND u.id = m.author_id
    LEFT JOIN contacts k ON m.author_type = 'contact' AND k.id = m.author_id`;

@Injectable()
export class VisitorMessagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async one(messageId: string): Promise<VisitorMessageRow | null> {
    const rows: VisitorMessageRow[] = await this.db.query(`${SELECT} WHERE m.id = $1`, [messageId]);
    return rows[0] ?? null;
  }

  // Newest first, strictly before the (createdAt, id) keyset when given.
  async latest(tenantId: string, channelId: string, visitor: string, limit: number, before?: [string, string]): Promise<VisitorMessageRow[]> {
    const params: unknown[] = [tenantId, channelId, visitor, limit];
    let keyset = '';
    if (before) {
      params.push(before[0], before[1]);
      keyset = 'AND (m.created_at, m.id) < ($5::timestamptz, $6::uuid)';
    }
    return this.db.query(
      `${SELECT}
        WHERE c.tenant_id = $1 AND c.channel_id = $2 AND c.contact_address = $3 AND m.internal = false ${keyset}
        ORDER BY m.created_at DESC, m.id DESC LIMIT $4`,
      params,
    );
  }

  // The visitor's live case, if any (where their typing is shown).
  async liveCase(tenantId: string, channelId: string, visitor: string): Promise<{ id: string; skill_id: string | null; assignee_id: string | null } | null> {
    const rows: Array<{ id: string; skill_id: string | null; assignee_id: string | null }> = await this.db.query(
      `SELECT id, skill_id, assignee_id FROM cases
        WHERE tenant_id = $1 AND channel_id = $2 AND contact_address = $3 AND status <> 'closed'
        ORDER BY created_at DESC LIMIT 1`,
      [tenantId, channelId, visitor],
    );
    return rows[0] ?? null;
  }
}
