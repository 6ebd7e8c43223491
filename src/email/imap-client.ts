import { ImapFlow } from 'imapflow';
import type { EmailConfig } from '../../channels/email/email.config';

// The part of imapflow the poller uses (providers.md §6 "IMAP polling", imapflow 2.1.2). A seam
// at the network edge: production builds ImapFlow clients; the integration suite points them at
// a loopback IMAP server (test/fakes/imap-server.fake.ts).

export interface ImapMailbox {
  uidValidity: bigint;
  uidNext: number;
}

export interface ImapClient {
  connect(): Promise<void>;
  // Read-only (EXAMINE): polling never changes flags or deletes mail.
  openMailbox(path: string): Promise<ImapMailbox>;
  // UIDs of the messages received on or after `since` (day precision, RFC 3501 SEARCH SINCE).
  uidsSince(since: Date): Promise<number[]>;
  // UID and size of every message with a UID ≥ `fromUid` (the last one is always included).
  sizesFrom(fromUid: number): Promise<Array<{ uid: number; size: number }>>;
  source(uid: number): Promise<Buffer | null>;
  // The server announces new mail by itself (IDLE, RFC 2177); otherwise it has to be polled.
  supportsIdle(): boolean;
  // `exists`: the mailbox grew (IDLE, or a response to any command); `close`: the connection is gone.
  on(event: 'exists' | 'close', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  logout(): Promise<void>;
}

export type ImapClientFactory = (imap: NonNullable<EmailConfig['imap']>) => ImapClient;

export const IMAP_CLIENT_FACTORY = Symbol('IMAP_CLIENT_FACTORY');

export const imapFlowClientFactory: ImapClientFactory = (imap) => {
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    // true: implicit TLS (993); false: STARTTLS when the server offers it.
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.pass },
    logger: false,
    // IDLE starts this long after our last command, so new mail is announced promptly.
    autoIdleDelay: 2_000,
    connectionTimeout: 30_000,
    greetingTimeout: 16_000,
  });
  return {
    connect: () => client.connect(),
    openMailbox: async (path) => {
      const mailbox = await client.mailboxOpen(path, { readOnly: true });
      return { uidValidity: mailbox.uidValidity, uidNext: mailbox.uidNext };
    },
    uidsSince: async (since) => (await client.search({ since }, { uid: true })) || [],
    sizesFrom: async (fromUid) => {
      const out: Array<{ uid: number; size: number }> = [];
      for await (const message of client.fetch(`${fromUid}:*`, { uid: true, size: true }, { uid: true })) {
        out.push({ uid: message.uid, size: message.size ?? 0 });
      }
      return out;
    },
    source: async (uid) => {
      const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      return message ? (message.source ?? null) : null;
    },
    supportsIdle: () => client.capabilities.has('IDLE'),
    on: (event: 'exists' | 'close' | 'error', listener: (error: Error) => void) => {
      client.on(event, listener);
    },
    logout: async () => {
      if (client.usable) await client.logout();
      else client.close();
    },
  };
};
