import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { LoadedChannel } from '../channels/channels.service';
import { EmailChannelsService } from './email-channels.service';
import { EmailInboundService } from './email-inbound.service';
import { EmailRejectedError } from './email-rejected.error';

// Parley's own SMTP listener (SMTP_PORT; 0 disables): point a domain's MX, or a forwarding rule,
// at it and mail to a channel's address becomes messages (providers.md §6, smtp-server).
// - Recipients are checked at RCPT time: an address no enabled email channel has → 550, so the
//   sending server bounces it at once instead of us accepting mail we would drop.
// - The final 250 comes only after the message is committed; a storage failure answers 451 and
//   the sending server retries later (RFC 5321 §4.2.1).
// - No AUTH (this is an inbound MX, not a relay: it only takes mail for our own addresses) and no
//   STARTTLS yet: deploy it behind a TLS-terminating MTA or on a private network until it has a
//   certificate option.

// An SMTP error reply: smtp-server sends `responseCode` and the message.
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

@Injectable()
export class SmtpListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SmtpListener');
  private server: SMTPServer | null = null;
  private boundPort: number | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly channels: EmailChannelsService,
    private readonly inbound: EmailInboundService,
  ) {}

  // The port actually listened on (SMTP_PORT), or null when disabled.
  get port(): number | null {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.smtpPort === 0) return;
    const server = new SMTPServer({
      banner: 'Parley inbound mail',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: this.config.smtpMaxBytes,
      logger: false,
      // Reverse DNS of every client would slow each connection down for a log line we do not write.
      disableReverseLookup: true,
      // Shutdown waits this long for sessions in progress.
      closeTimeout: 5_000,
      onRcptTo: (address, _session, callback) => {
        this.acceptRecipient(address).then(() => callback(), callback);
      },
      onData: (stream, session, callback) => {
        this.receive(stream, session).then((reply) => callback(null, reply), callback);
      },
    });
    server.on('error', (error) => this.logger.error({ err: error }, 'SMTP listener error'));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.config.smtpPort, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.server.address() as AddressInfo).port;
    this.logger.log({ port: this.boundPort }, 'SMTP listener ready');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.boundPort = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async acceptRecipient(address: SMTPServerAddress): Promise<void> {
    let channels: LoadedChannel[];
    try {
      channels = await this.channels.byAddress(address.address);
    } catch (error) {
      this.logger.warn({ err: error }, 'recipient check failed');
      throw smtpError(451, '4.3.0 Temporary failure, try again later');
    }
    if (channels.length === 0) throw smtpError(550, '5.1.1 No such mailbox here');
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const raw = await readAll(stream);
    if (stream.sizeExceeded) throw smtpError(552, `5.3.4 Message exceeds the ${this.config.smtpMaxBytes}-byte limit`);
    try {
      // Recipients were checked at RCPT time; read again now so a channel disabled since is skipped.
      const channels = await this.recipientsOf(session);
      if (channels.length === 0) throw smtpError(550, '5.1.1 No such mailbox here');
      const mailFrom = session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address;
      await this.inbound.deliver(raw, { mailFrom }, channels);
      return 'Message stored';
    } catch (error) {
      if (error instanceof EmailRejectedError) throw smtpError(error.smtpCode, error.message);
      if (typeof (error as { responseCode?: unknown }).responseCode === 'number') throw error;
      this.logger.error({ err: error }, 'inbound mail not stored');
      throw smtpError(451, '4.3.0 Could not store the message, try again later');
    }
  }

  private async recipientsOf(session: SMTPServerSession): Promise<LoadedChannel[]> {
    const byId = new Map<string, LoadedChannel>();
    for (const rcpt of session.envelope.rcptTo) {
      for (const channel of await this.channels.byAddress(rcpt.address)) byId.set(channel.entity.id, channel);
    }
    return [...byId.values()];
  }
}

// The whole DATA stream; it must be consumed even when the message is refused.
function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      // Past the limit the bytes are read and dropped: the reply will be 552 anyway.
      if (stream.sizeExceeded) return;
      size += chunk.length;
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks, size)));
    stream.on('error', reject);
  });
}
