import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

// A loopback IMAP4rev1 server with one account and one mailbox, speaking just what Parley's
// poller uses through imapflow (RFC 3501): LOGIN, CAPABILITY, SELECT/EXAMINE, UID SEARCH SINCE,
// UID FETCH (UID, RFC822.SIZE, BODY.PEEK[]), NOOP, IDLE (RFC 2177), LOGOUT. Mail appended while a
// client idles is announced with `* n EXISTS`, as real servers do.

export interface FakeImapMessage {
  uid: number;
  raw: Buffer;
  internalDate: Date;
}

export class FakeImapServer {
  user = 'support@inbox.example.com';
  pass = 'imap-secret-pass';
  mailbox = 'INBOX';
  uidValidity = 1001;
  // Advertise IDLE (true) or make clients fall back to polling.
  idle = true;
  readonly messages: FakeImapMessage[] = [];
  // Every command line received (LOGIN passwords masked), for assertions.
  readonly commands: string[] = [];
  logins = 0;
  private nextUid = 1;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly idlers = new Set<{ socket: Socket; announce: () => void }>();
  port = 0;

  async listen(): Promise<number> {
    this.server = createServer((socket) => this.session(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    this.dropConnections();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // Cuts every client off, as a server restart or a network failure would.
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.idlers.clear();
  }

  append(raw: Buffer | string, internalDate = new Date()): number {
    const uid = this.nextUid++;
    this.messages.push({ uid, raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw), internalDate });
    for (const idler of this.idlers) idler.announce();
    return uid;
  }

  // A mailbox recreated under the same name: new UIDVALIDITY, UIDs start over.
  resetUidValidity(): void {
    this.uidValidity += 1;
    const kept = this.messages.splice(0);
    this.nextUid = 1;
    for (const message of kept) this.messages.push({ ...message, uid: this.nextUid++ });
  }

  private capabilities(): string {
    return ['IMAP4rev1', 'UIDPLUS', ...(this.idle ? ['IDLE'] : [])].join(' ');
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    let buffer = '';
    let authenticated = false;
    let selected = false;
    let idling: { tag: string; entry: { socket: Socket; announce: () => void } } | null = null;
    // The message count this client was last told: growth is reported at the next chance
    // (any command's response, or at once while idling), as RFC 3501 §7.3.1 allows.
    let reported = 0;
    const report = () => {
      if (selected && this.messages.length !== reported) {
        reported = this.messages.length;
        write(`* ${reported} EXISTS\r\n`);
      }
    };
    const write = (line: string | Buffer) => {
      if (!socket.destroyed) socket.write(line);
    };
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (idling) this.idlers.delete(idling.entry);
    });
    socket.on('error', () => undefined);
    write(`* OK [CAPABILITY ${this.capabilities()}] Fake IMAP ready\r\n`);

    const handle = (line: string) => {
      if (idling) {
        if (line.trim().toUpperCase() === 'DONE') {
          this.idlers.delete(idling.entry);
          write(`${idling.tag} OK IDLE terminated\r\n`);
          idling = null;
        }
        return;
      }
      const match = /^(\S+)\s+(UID\s+)?(\S+)\s*(.*)$/i.exec(line);
      if (!match) return write('* BAD Syntax\r\n');
      const [, tag, uidPrefix, rawCommand, args] = match as unknown as [string, string, string | undefined, string, string];
      const command = rawCommand.toUpperCase();
      this.commands.push(command === 'LOGIN' ? `${uidPrefix ? 'UID ' : ''}LOGIN ***` : `${uidPrefix ? 'UID ' : ''}${command} ${args}`.trim());
      switch (command) {
        case 'CAPABILITY':
          write(`* CAPABILITY ${this.capabilities()}\r\n${tag} OK CAPABILITY completed\r\n`);
          return;
        case 'NOOP':
          report();
          write(`${tag} OK NOOP completed\r\n`);
          return;
        case 'LOGOUT':
          write(`* BYE Logging out\r\n${tag} OK LOGOUT completed\r\n`);
          socket.end();
          return;
        case 'LOGIN': {
          const [user, pass] = imapStrings(args);
          this.logins += 1;
          if (user === this.user && pass === this.pass) {
            authenticated = true;
            write(`${tag} OK [CAPABILITY ${this.capabilities()}] Logged in\r\n`);
          } else {
            write(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n`);
          }
          return;
        }
        case 'LIST':
        case 'LSUB': {
          if (!authenticated) return write(`${tag} BAD Not authenticated\r\n`);
          const [, pattern] = imapStrings(args);
          const listed = pattern === '' || pattern === '*' || pattern?.toUpperCase() === this.mailbox.toUpperCase();
          write(`${listed ? `* LIST (\\HasNoChildren) "/" "${this.mailbox}"\r\n` : ''}${tag} OK LIST completed\r\n`);
          return;
        }
        case 'SELECT':
        case 'EXAMINE': {
          if (!authenticated) return write(`${tag} BAD Not authenticated\r\n`);
          const [name] = imapStrings(args);
          if ((name ?? '').toUpperCase() !== this.mailbox.toUpperCase()) return write(`${tag} NO [NONEXISTENT] Unknown mailbox\r\n`);
          selected = true;
          reported = this.messages.length;
          const last = this.messages[this.messages.length - 1];
          write(
            `* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n` +
              `* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n` +
              `* ${this.messages.length} EXISTS\r\n* 0 RECENT\r\n` +
              `* OK [UIDVALIDITY ${this.uidValidity}] UIDs valid\r\n` +
              `* OK [UIDNEXT ${(last?.uid ?? 0) + 1}] Predicted next UID\r\n` +
              `${tag} OK [${command === 'EXAMINE' ? 'READ-ONLY' : 'READ-WRITE'}] ${command} completed\r\n`,
          );
          return;
        }
        case 'IDLE': {
          if (!this.idle) return write(`${tag} BAD Unknown command\r\n`);
          const entry = { socket, announce: report };
          idling = { tag, entry };
          this.idlers.add(entry);
          write('+ idling\r\n');
          report();
          return;
        }
        case 'SEARCH': {
          if (!selected) return write(`${tag} BAD No mailbox selected\r\n`);
          const since = /SINCE\s+"?(\d{1,2}-[A-Za-z]{3}-\d{4})"?/i.exec(args)?.[1];
          const from = since ? Date.parse(`${since} 00:00:00 GMT`) : 0;
          const hits = this.messages.filter((m) => m.internalDate.getTime() >= from).map((m) => (uidPrefix ? m.uid : this.seq(m)));
          write(`* SEARCH${hits.map((n) => ` ${n}`).join('')}\r\n${tag} OK SEARCH completed\r\n`);
          return;
        }
        case 'FETCH': {
          if (!selected) return write(`${tag} BAD No mailbox selected\r\n`);
          const [set, ...rest] = args.split(' ');
          const items = rest.join(' ').toUpperCase();
          for (const message of this.inSet(set ?? '', Boolean(uidPrefix))) {
            const parts = [`UID ${message.uid}`];
            if (items.includes('RFC822.SIZE')) parts.push(`RFC822.SIZE ${message.raw.length}`);
            if (items.includes('FLAGS')) parts.push('FLAGS ()');
            const wantsBody = items.includes('BODY.PEEK[]') || items.includes('BODY[]') || items.includes('BINARY.PEEK[]');
            if (wantsBody) {
              write(Buffer.concat([Buffer.from(`* ${this.seq(message)} FETCH (${parts.join(' ')} BODY[] {${message.raw.length}}\r\n`), message.raw, Buffer.from(')\r\n')]));
            } else {
              write(`* ${this.seq(message)} FETCH (${parts.join(' ')})\r\n`);
            }
          }
          report();
          write(`${tag} OK FETCH completed\r\n`);
          return;
        }
        default:
          write(`${tag} BAD Unknown command ${command}\r\n`);
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        handle(line);
      }
    });
  }

  private seq(message: FakeImapMessage): number {
    return this.messages.indexOf(message) + 1;
  }

  // "1:*", "5", "3:7,9" by UID or by sequence number. "n:*" always includes the last message
  // (RFC 3501 §6.4.8), which is why clients filter by UID themselves.
  private inSet(set: string, byUid: boolean): FakeImapMessage[] {
    const key = (m: FakeImapMessage) => (byUid ? m.uid : this.seq(m));
    const max = this.messages.length ? key(this.messages[this.messages.length - 1]!) : 0;
    const wanted = new Set<FakeImapMessage>();
    for (const range of set.split(',')) {
      const [a, b] = range.split(':');
      const from = a === '*' ? max : Number(a);
      const to = b === undefined ? from : b === '*' ? max : Number(b);
      const [low, high] = from <= to ? [from, to] : [to, from];
      for (const m of this.messages) if (key(m) >= low && key(m) <= high) wanted.add(m);
      if (b === '*' && this.messages.length) wanted.add(this.messages[this.messages.length - 1]!);
    }
    return [...wanted].sort((x, y) => x.uid - y.uid);
  }
}

// Atoms and "quoted strings" of a command's arguments.
function imapStrings(args: string): string[] {
  const out: string[] = [];
  for (const match of args.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!);
  return out;
}
