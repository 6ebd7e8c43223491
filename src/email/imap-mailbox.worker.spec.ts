import type { Logger } from '@nestjs/common';
import { EmailRejectedError } from './email-rejected.error';
import type { ImapClient, ImapClientFactory } from './imap-client';
import { type ImapWorkerDeps, ImapMailboxWorker } from './imap-mailbox.worker';
import type { ImapPosition } from './imap-state.repository';

// The worker's bookkeeping with the IMAP client replaced at its boundary (the integration suite
// runs the real imapflow against a loopback server): which UIDs are imported, when the stored
// position moves, what is skipped and what is retried.

class ScriptedMailbox {
  uidValidity = 7n;
  messages: Array<{ uid: number; raw: Buffer; date: Date }> = [];
  connects = 0;
  refuseLogin = false;
  idle = true;
  fetchedSources: number[] = [];
  private listeners = new Map<string, Array<(error: Error) => void>>();

  add(uid: number, size = 10, date = new Date()): void {
    this.messages.push({ uid, raw: Buffer.alloc(size, 'x'), date });
    for (const listener of this.listeners.get('exists') ?? []) listener(new Error('exists'));
  }

  factory: ImapClientFactory = () => {
    this.listeners = new Map();
    const client: ImapClient = {
      connect: async () => {
        this.connects += 1;
        if (this.refuseLogin) throw Object.assign(new Error('Command failed'), { authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED' });
      },
      openMailbox: async () => ({ uidValidity: this.uidValidity, uidNext: Math.max(0, ...this.messages.map((m) => m.uid)) + 1 }),
      uidsSince: async (since) => this.messages.filter((m) => m.date >= since).map((m) => m.uid),
      sizesFrom: async (from) => {
        const hits = this.messages.filter((m) => m.uid >= from);
        const last = this.messages[this.messages.length - 1];
        // "n:*" includes the last message even below n.
        if (hits.length === 0 && last) hits.push(last);
        return hits.map((m) => ({ uid: m.uid, size: m.raw.length }));
      },
      source: async (uid) => {
        this.fetchedSources.push(uid);
        return this.messages.find((m) => m.uid === uid)?.raw ?? null;
      },
      supportsIdle: () => this.idle,
      on: (event: string, listener: (error: Error) => void) => {
        this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      },
      logout: async () => undefined,
    };
    return client;
  };
}

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;

async function until(condition: () => boolean, label: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${label}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('ImapMailboxWorker', () => {
  let mailbox: ScriptedMailbox;
  let stored: ImapPosition | null;
  let imported: number[];
  let importMail: jest.Mock<Promise<void>, [Buffer]>;
  let authFailures: string[];
  let worker: ImapMailboxWorker | null;

  const start = (overrides: Partial<ImapWorkerDeps> = {}) => {
    worker = new ImapMailboxWorker({
      channelId: 'channel-1',
      imap: { host: 'imap.example.com', port: 993, secure: true, user: 'u', pass: 'p' },
      clients: mailbox.factory,
      position: async () => stored,
      advance: async (uid) => {
        stored = { uidValidity: stored?.uidValidity ?? null, lastUid: Math.max(stored?.lastUid ?? 0, uid) };
      },
      synced: async (uidValidity, lastUid) => {
        stored = { uidValidity, lastUid };
      },
      importMail,
      isRejection: (error) => error instanceof EmailRejectedError,
      onAuthFailure: async (reason) => {
        authFailures.push(reason);
      },
      pollMs: 20,
      maxBytes: 100,
      logger: silent,
      ...overrides,
    });
    worker.start();
    return worker;
  };

  beforeEach(() => {
    mailbox = new ScriptedMailbox();
    stored = null;
    imported = [];
    authFailures = [];
    importMail = jest.fn(async (raw: Buffer) => {
      imported.push(raw.length);
    });
    worker = null;
  });
  afterEach(async () => {
    await worker?.stop();
  });

  it('imports the last days on a first read, then only UIDs above the stored one', async () => {
    mailbox.add(1, 11, new Date(Date.now() - 30 * 86_400_000));
    mailbox.add(2, 12);
    // Polled every 20 ms: "3:*" keeps returning message 2 until message 3 arrives.
    mailbox.idle = false;
    start();
    await until(() => stored?.uidValidity === '7', 'first sync');
    expect(imported).toEqual([12]);
    expect(stored).toEqual({ uidValidity: '7', lastUid: 2 });
    mailbox.add(3, 13);
    await until(() => stored?.lastUid === 3, 'new mail');
    expect(imported).toEqual([12, 13]);
    // The last message that "3:*" and "4:*" return again is never imported twice.
    await new Promise((r) => setTimeout(r, 100));
    expect(imported).toEqual([12, 13]);
  });

  it('resumes after the stored UID under the same UIDVALIDITY', async () => {
    mailbox.add(5, 15);
    mailbox.add(6, 16);
    stored = { uidValidity: '7', lastUid: 5 };
    start();
    await until(() => stored?.lastUid === 6, 'resume');
    expect(imported).toEqual([16]);
  });

  it('reads again when UIDVALIDITY changed', async () => {
    mailbox.add(1, 11);
    stored = { uidValidity: '6', lastUid: 40 };
    start();
    await until(() => stored?.uidValidity === '7', 'resync');
    expect(imported).toEqual([11]);
    expect(stored).toEqual({ uidValidity: '7', lastUid: 1 });
  });

  it('skips (and moves past) mail over the size limit and mail that can never be stored', async () => {
    stored = { uidValidity: '7', lastUid: 0 };
    mailbox.add(1, 500);
    mailbox.add(2, 20);
    mailbox.add(3, 30);
    importMail.mockImplementation(async (raw) => {
      if (raw.length === 20) throw new EmailRejectedError(550, 'no sender');
      imported.push(raw.length);
    });
    start();
    await until(() => stored?.lastUid === 3, 'past the skipped ones');
    expect(imported).toEqual([30]);
    // The oversized one was never downloaded.
    expect(mailbox.fetchedSources).toEqual([2, 3]);
  });

  it('keeps the position when storage fails, and retries after reconnecting', async () => {
    stored = { uidValidity: '7', lastUid: 0 };
    mailbox.add(1, 10);
    mailbox.add(2, 20);
    let failNext = true;
    importMail.mockImplementation(async (raw) => {
      if (raw.length === 20 && failNext) {
        failNext = false;
        throw new Error('database unavailable');
      }
      imported.push(raw.length);
    });
    start();
    await until(() => stored?.lastUid === 2, 'retry');
    expect(imported).toEqual([10, 20]);
    expect(mailbox.connects).toBe(2);
  });

  it('stops and reports a refused login instead of retrying it', async () => {
    mailbox.refuseLogin = true;
    const w = start();
    await until(() => authFailures.length === 1, 'auth failure');
    expect(authFailures[0]).toBe('IMAP login refused: Command failed (AUTHENTICATIONFAILED)');
    expect(w.state).toBe('auth_failed');
    await new Promise((r) => setTimeout(r, 100));
    expect(mailbox.connects).toBe(1);
  });
});
