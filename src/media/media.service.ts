import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { MediaInput, MediaSink, StoredMedia } from '../../channels/channel-adapter.port';
import { DomainError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

export interface MediaFile {
  contentType: string;
  name: string | null;
  data: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Stores media bytes and hands out capability URLs: `{PUBLIC_URL}/media/{id}/{token}`, where
// the token is an HMAC of the id. Providers fetching our outbound media and customers in the
// widget have no Parley login, so the URL itself is the credential; it is unguessable, and
// stable so that stored messages keep working links.
@Injectable()
export class MediaService {
  private readonly urlKey: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // A key of its own, derived from SECRETS_KEY: a leaked URL token says nothing about it.
    this.urlKey = Buffer.from(hkdfSync('sha256', config.secretsKey, Buffer.alloc(0), 'parley media urls', 32));
  }

  async save(tenantId: string, input: MediaInput): Promise<StoredMedia> {
    const size = input.data.length;
    if (size > this.config.mediaMaxBytes) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `Media of ${size} bytes exceeds the limit of ${this.config.mediaMaxBytes} bytes`);
    }
    const contentType = input.contentType.trim().toLowerCase() || 'application/octet-stream';
    const sha256 = createHash('sha256').update(input.data).digest('hex');
    // The same bytes twice (a redelivered webhook, a resent upload) are stored once.
    const inserted: Array<{ id: string }> = await this.db.query(
      `INSERT INTO media (tenant_id, content_type, name, size, sha256, data) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, sha256) DO NOTHING RETURNING id`,
      [tenantId, contentType, input.name ?? null, size, sha256, input.data],
    );
    const id =
      inserted[0]?.id ??
      ((await this.db.query('SELECT id FROM media WHERE tenant_id = $1 AND sha256 = $2', [tenantId, sha256])) as Array<{ id: string }>)[0]!.id;
    return { url: this.url(id), contentType, ...(input.name !== undefined && { name: input.name }), size };
  }

  sinkFor(tenantId: string): MediaSink {
    return { save: (input) => this.save(tenantId, input) };
  }

  url(id: string): string {
    return `${this.config.publicUrl}/media/${id}/${this.token(id)}`;
  }

  // null for an unknown id or a token that does not match (both answer 404).
  async open(id: string, token: string): Promise<MediaFile | null> {
    if (!UUID.test(id)) return null;
    const expected = Buffer.from(this.token(id));
    const given = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const rows: Array<{ content_type: string; name: string | null; data: Buffer | Uint8Array }> = await this.db.query(
      'SELECT content_type, name, data FROM media WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return { contentType: row.content_type, name: row.name, data: Buffer.isBuffer(row.data) ? row.data : Buffer.from(row.data) };
  }

  private token(id: string): string {
    return createHmac('sha256', this.urlKey).update(id.toLowerCase()).digest('base64url').slice(0, 32);
  }
}
