import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { returnedRows } from '../database/pg-errors';

export interface ImapPosition {
  // null until a first full read of the mailbox under its current UIDVALIDITY completed.
  uidValidity: string | null;
  lastUid: number;
}

// imap_states: how far each channel's mailbox has been imported, and which instance polls it.
@Injectable()
export class ImapStateRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  // Takes (or renews) the channel's lease unless another live instance holds it. `mailbox`
  // identifies account and folder: when it changes, the stored position means nothing any more.
  async claim(channel: { id: string; tenantId: string }, mailbox: string, owner: string, leaseMs: number): Promise<ImapPosition | null> {
    const rows = returnedRows<{ uid_validity: string | null; last_uid: string }>(
      await this.db.query(
        `INSERT INTO imap_states (channel_id, tenant_id, mailbox, lease_owner, lease_until, updated_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), now())
         ON CONFLICT (channel_id) DO UPDATE SET
           uid_validity = CASE WHEN imap_states.mailbox = EXCLUDED.mailbox THEN imap_states.uid_validity END,
           last_uid = CASE WHEN imap_states.mailbox = EXCLUDED.mailbox THEN imap_states.last_uid ELSE 0 END,
           mailbox = EXCLUDED.mailbox, lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until, updated_at = now()
         WHERE imap_states.lease_owner IS NULL OR imap_states.lease_owner = EXCLUDED.lease_owner OR imap_states.lease_until < now()
         RETURNING uid_validity, last_uid`,
        [channel.id, channel.tenantId, mailbox, owner, leaseMs / 1000],
      ),
    );
    const row = rows[0];
    return row ? { uidValidity: row.uid_validity, lastUid: Number(row.last_uid) } : null;
  }

  async renew(channelId: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = returnedRows<{ channel_id: string }>(
      await this.db.query(
        `UPDATE imap_states SET lease_until = now() + make_interval(secs => $3) WHERE channel_id = $1 AND lease_owner = $2 RETURNING channel_id`,
        [channelId, owner, leaseMs / 1000],
      ),
    );
    return rows.length > 0;
  }

  async release(channelId: string, owner: string): Promise<void> {
    await this.db.query(`UPDATE imap_states SET lease_owner = NULL, lease_until = NULL WHERE channel_id = $1 AND lease_owner = $2`, [channelId, owner]);
  }

  async position(channelId: string): Promise<ImapPosition | null> {
    const rows: Array<{ uid_validity: string | null; last_uid: string }> = await this.db.query(`SELECT uid_validity, last_uid FROM imap_states WHERE channel_id = $1`, [channelId]);
    const row = rows[0];
    return row ? { uidValidity: row.uid_validity, lastUid: Number(row.last_uid) } : null;
  }

  // After each imported message: a restart resumes after it.
  async advance(channelId: string, uid: number): Promise<void> {
    await this.db.query(`UPDATE imap_states SET last_uid = GREATEST(last_uid, $2), updated_at = now() WHERE channel_id = $1`, [channelId, uid]);
  }

  // A first read under a (new) UIDVALIDITY is complete.
  async synced(channelId: string, uidValidity: string, lastUid: number): Promise<void> {
    await this.db.query(`UPDATE imap_states SET uid_validity = $2, last_uid = $3, updated_at = now() WHERE channel_id = $1`, [channelId, uidValidity, lastUid]);
  }
}
