import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ChannelsService, type LoadedChannel } from '../channels/channels.service';

// The email channels mail is delivered to: by recipient address (SMTP listener) or those with an
// IMAP mailbox to poll. Only enabled, not deleted channels; secrets decrypted by ChannelsService.
@Injectable()
export class EmailChannelsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly channels: ChannelsService,
  ) {}

  // Addresses match case-insensitively (RFC 5321 allows case-sensitive local parts; no mail
  // system in use treats them so). Several tenants may use the same address: each gets the mail.
  async byAddress(address: string): Promise<LoadedChannel[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM channels WHERE type = 'email' AND enabled AND deleted_at IS NULL AND lower(config->>'address') = lower($1) ORDER BY created_at`,
      [address.trim()],
    );
    return this.load(rows);
  }

  async withImap(): Promise<LoadedChannel[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM channels WHERE type = 'email' AND enabled AND deleted_at IS NULL AND config->'imap' IS NOT NULL ORDER BY created_at`,
    );
    return this.load(rows);
  }

  private async load(rows: Array<{ id: string }>): Promise<LoadedChannel[]> {
    const loaded = await Promise.all(rows.map((row) => this.channels.load(row.id)));
    return loaded.filter((channel): channel is LoadedChannel => channel !== null);
  }
}
