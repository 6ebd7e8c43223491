import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { parleyMessageIdOf } from '../../channels/email/email-threading';

export interface KnownThread {
  caseId: string;
  threadKey: string;
}

// The Message-ID index of a channel is the messages table itself: an inbound mail is stored with
// its Message-ID as provider_message_id, one of our replies with its Message-ID as external_id
// (and that id embeds our message id, which resolves it even before the send was recorded). Both
// columns are indexed per channel.
@Injectable()
export class EmailThreadsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  // The case of the first candidate we know, candidates in order of preference.
  async resolve(channelId: string, candidates: readonly string[]): Promise<KnownThread | null> {
    if (candidates.length === 0) return null;
    const ours = candidates.map((id) => parleyMessageIdOf(id)).filter((id): id is string => id !== null);
    const rows: Array<{ ref: string; case_id: string; thread_key: string }> = await this.db.query(
      `SELECT m.provider_message_id AS ref, m.case_id, c.thread_key FROM messages m JOIN cases c ON c.id = m.case_id
        WHERE m.channel_id = $1 AND m.provider_message_id = ANY($2::text[])
       UNION ALL
       SELECT m.external_id, m.case_id, c.thread_key FROM messages m JOIN cases c ON c.id = m.case_id
        WHERE m.channel_id = $1 AND m.external_id = ANY($2::text[])
       UNION ALL
       SELECT m.id::text, m.case_id, c.thread_key FROM messages m JOIN cases c ON c.id = m.case_id
        WHERE m.channel_id = $1 AND m.direction = 'outbound' AND m.id = ANY($3::uuid[])`,
      [channelId, [...candidates], ours],
    );
    const known = new Map<string, KnownThread>();
    for (const row of rows) known.set(row.ref.toLowerCase(), { caseId: row.case_id, threadKey: row.thread_key });
    for (const candidate of candidates) {
      const hit = known.get(candidate.toLowerCase()) ?? known.get(parleyMessageIdOf(candidate) ?? '');
      if (hit) return hit;
    }
    return null;
  }

  // Already stored on this channel (a redelivery): nothing to prepare for it again.
  async isStored(channelId: string, messageId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT 1 FROM messages WHERE channel_id = $1 AND provider_message_id = $2', [channelId, messageId]);
    return rows.length > 0;
  }

  // One of our own replies coming back (a Bcc to ourselves, a forwarding loop).
  async isOwnReply(channelId: string, messageId: string): Promise<boolean> {
    const ours = parleyMessageIdOf(messageId);
    if (!ours) return false;
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM messages WHERE id = $1 AND channel_id = $2 AND direction = 'outbound'`, [ours, channelId]);
    return rows.length > 0;
  }
}
