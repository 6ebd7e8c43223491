import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

// A loopback SMTP server standing in for a channel's outgoing mail server: it records what
// Parley's replies look like on the wire, and can refuse logins, recipients or messages with the
// SMTP replies real servers send. No STARTTLS, so nodemailer sends in clear on loopback.

export interface SunkMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
  // The AUTH user, when the client logged in.
  user: string | null;
}

export class SmtpSink {
  readonly mails: SunkMail[] = [];
  // When set, AUTH is offered and these credentials are the only ones accepted (535 otherwise).
  credentials: { user: string; pass: string } | null = null;
  // An SMTP reply code to refuse a recipient with, or null to accept it.
  refuseRecipient: (address: string) => number | null = () => null;
  // An SMTP reply code to refuse the message with after DATA, or null to accept it.
  refuseMessage: () => number | null = () => null;
  port = 0;
  private server: SMTPServer | null = null;

  async listen(): Promise<number> {
    this.server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      // AUTH PLAIN/LOGIN over a clear connection is fine on loopback.
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => {
        const ok = this.credentials && auth.username === this.credentials.user && auth.password === this.credentials.pass;
        if (ok) callback(null, { user: auth.username });
        else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
      onMailFrom: (_address, session, callback) => {
        if (this.credentials && !session.user) return callback(Object.assign(new Error('5.7.0 Authentication required'), { responseCode: 530 }));
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        const code = this.refuseRecipient(address.address);
        if (code) return callback(Object.assign(new Error(code >= 500 ? '5.1.1 No such user here' : '4.2.0 Try again later'), { responseCode: code }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const code = this.refuseMessage();
          if (code) return callback(Object.assign(new Error(code >= 500 ? '5.7.1 Message refused' : '4.3.0 Try again later'), { responseCode: code }));
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
              this.mails.push({ envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) }, raw, parsed, user: typeof session.user === 'string' ? session.user : null });
              callback(null, 'Queued');
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  reset(): void {
    this.mails.length = 0;
    this.credentials = null;
    this.refuseRecipient = () => null;
    this.refuseMessage = () => null;
  }
}
