import type { Logger } from '@nestjs/common';
import type { EmailConfig } from '../../channels/email/email.config';
import type { ImapClient, ImapClientFactory } from './imap-client';
import type { ImapPosition } from './imap-state.repository';

// One channel's mailbox, kept in sync over one IMAP connection: connect, open the folder
// read-only, import every message with a UID above the last one stored, then wait for the server
// to announce more (IDLE) or for the poll interval, and again. A lost connection is retried with
// backoff; a refused login stops the worker (the channel needs an admin).

export interface ImapWorkerDeps {
  channelId: string;
  imap: NonNullable<EmailConfig['imap']>;
  clients: ImapClientFactory;
  // The stored position, and how to move it.
  position(): Promise<ImapPosition | null>;
  advance(uid: number): Promise<void>;
  synced(uidValidity: string, lastUid: number): Promise<void>;
  // Stores one mail; throws EmailRejectedError for a mail that can never be stored (skipped),
  // anything else when storage failed (retried after a reconnect).
  importMail(raw: Buffer): Promise<void>;
  isRejection(error: unknown): boolean;
  onAuthFailure(reason: string): Promise<void>;
  pollMs: number;
  maxBytes: number;
  logger: Logger;
}

// A first read of a mailbox (or a read after its UIDVALIDITY changed) imports this much history,
// not years of mail.
export const FIRST_SYNC_DAYS = 7;
// With IDLE the server announces new mail; a full check still runs this often, in case an
// announcement was lost.
export const IDLE_RESYNC_MS = 5 * 60_000;
const RECONNECT_BASE_MS = 1_000;
const RECONNECT_MAX_MS = 5 * 60_000;

export type ImapWorkerState = 'running' | 'auth_failed' | 'stopped';

export class ImapMailboxWorker {
  state: ImapWorkerState = 'running';
  private client: ImapClient | null = null;
  private wake: (() => void) | null = null;
  // A wake-up that came while the worker was busy: the next sleep returns at once.
  private pending = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly deps: ImapWorkerDeps) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    if (this.state === 'running') this.state = 'stopped';
    this.signal();
    const client = this.client;
    this.client = null;
    await client?.logout().catch(() => undefined);
    await this.loop;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    if (wake) wake();
    else this.pending = true;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.state === 'running') {
      let synced = false;
      try {
        await this.session(() => {
          synced = true;
          failures = 0;
        });
      } catch (error) {
        if (this.state !== 'running') break;
        if (isAuthFailure(error)) {
          this.state = 'auth_failed';
          const reason = `IMAP login refused: ${describe(error)}`;
          this.deps.logger.warn({ channelId: this.deps.channelId }, reason);
          await this.deps.onAuthFailure(reason).catch((e: unknown) => this.deps.logger.error({ err: e, channelId: this.deps.channelId }, 'could not mark the channel'));
          break;
        }
        this.deps.logger.warn({ channelId: this.deps.channelId, err: describe(error) }, 'IMAP session ended; reconnecting');
      } finally {
        const client = this.client;
        this.client = null;
        await client?.logout().catch(() => undefined);
      }
      if (this.state !== 'running') break;
      failures = synced ? 1 : failures + 1;
      this.pending = false;
      const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** (failures - 1)) * (0.8 + Math.random() * 0.4);
      await this.sleep(delay);
    }
  }

  private async session(onSynced: () => void): Promise<void> {
    const { imap } = this.deps;
    const client = this.deps.clients(imap);
    this.client = client;
    let closed = false;
    // Events of a client already given up on must not wake the worker (its reconnect backoff).
    const current = () => this.client === client;
    client.on('exists', () => {
      if (current()) this.signal();
    });
    client.on('close', () => {
      closed = true;
      if (current()) this.signal();
    });
    // imapflow also reports socket errors as 'error' events; the 'close' that follows ends the session.
    client.on('error', (error) => this.deps.logger.debug?.({ channelId: this.deps.channelId, err: describe(error) }, 'IMAP error'));
    await client.connect();
    const mailbox = await client.openMailbox(imap.mailbox ?? 'INBOX');
    const uidValidity = mailbox.uidValidity.toString();
    const position = await this.deps.position();
    let lastUid: number;
    if (position?.uidValidity === uidValidity) {
      lastUid = position.lastUid;
    } else {
      // New mailbox, or its UIDs were reassigned: read recent history again. Already stored
      // mail is recognised by its Message-ID and not stored twice.
      const since = new Date(Date.now() - FIRST_SYNC_DAYS * 86_400_000);
      const recent = (await client.uidsSince(since)).sort((a, b) => a - b);
      const highest = recent.reduce((max, uid) => Math.max(max, uid), Math.max(mailbox.uidNext - 1, 0));
      for (const uid of recent) {
        if (this.state !== 'running' || closed) return;
        await this.importUid(client, uid, null);
      }
      lastUid = highest;
      await this.deps.synced(uidValidity, lastUid);
    }
    const wait = client.supportsIdle() ? Math.max(this.deps.pollMs, IDLE_RESYNC_MS) : this.deps.pollMs;
    while (this.state === 'running' && !closed) {
      lastUid = await this.importNew(client, lastUid);
      onSynced();
      await this.sleep(wait);
    }
    if (closed && this.state === 'running') throw new Error('IMAP connection closed');
  }

  // Everything above `lastUid`; returns the new last UID. "n:*" always returns the last message,
  // even when its UID is below n (RFC 3501 §6.4.8), hence the filter.
  private async importNew(client: ImapClient, lastUid: number): Promise<number> {
    const fresh = (await client.sizesFrom(lastUid + 1)).filter((m) => m.uid > lastUid).sort((a, b) => a.uid - b.uid);
    let last = lastUid;
    for (const message of fresh) {
      if (this.state !== 'running') break;
      await this.importUid(client, message.uid, message.size);
      await this.deps.advance(message.uid);
      last = message.uid;
    }
    return last;
  }

  private async importUid(client: ImapClient, uid: number, size: number | null): Promise<void> {
    if (size !== null && size > this.deps.maxBytes) {
      this.deps.logger.warn({ channelId: this.deps.channelId, uid, size }, 'IMAP message over the size limit skipped');
      return;
    }
    const raw = await client.source(uid);
    if (!raw) return;
    if (raw.length > this.deps.maxBytes) {
      this.deps.logger.warn({ channelId: this.deps.channelId, uid, size: raw.length }, 'IMAP message over the size limit skipped');
      return;
    }
    try {
      await this.deps.importMail(raw);
    } catch (error) {
      if (!this.deps.isRejection(error)) throw error;
      this.deps.logger.warn({ channelId: this.deps.channelId, uid, reason: describe(error) }, 'IMAP message skipped');
    }
  }

  // Until `ms` pass or something wakes the worker (new mail, a closed connection, stop()).
  private sleep(ms: number): Promise<void> {
    if (this.pending || this.state !== 'running') {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.wake === done) this.wake = null;
        resolve();
      }, ms);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.wake = done;
    });
  }
}

// imapflow marks refused logins (LOGIN/AUTHENTICATE answered NO, e.g. [AUTHENTICATIONFAILED]).
function isAuthFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { authenticationFailed?: unknown }).authenticationFailed === true;
}

function describe(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { responseText?: unknown; serverResponseCode?: unknown; message?: unknown; code?: unknown };
  const text = typeof e.responseText === 'string' ? e.responseText : typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.serverResponseCode === 'string' ? e.serverResponseCode : typeof e.code === 'string' ? e.code : null;
  return code ? `${text} (${code})` : text;
}
