import { Injectable, Logger } from '@nestjs/common';
import type { InboundEvent, IngestOutcome } from '../../channels/channel-adapter.port';
import { type EmailEnvelope, type ParsedEmail, parseEmail } from '../../channels/email/email.parser';
import type { LoadedChannel } from '../channels/channels.service';
import type { Content } from '../content/content.schema';
import { InboundService } from '../inbound/inbound.service';
import { EmailRejectedError } from './email-rejected.error';
import { EmailSourceEntity } from './email-source.entity';
import { EmailThreadsRepository } from './email-threads.repository';

type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;
type MessageOutcome = Extract<IngestOutcome, { kind: 'message' }>;

export type EmailDelivery = MessageOutcome | { kind: 'ignored'; reason: string };

// Mail from the SMTP listener or an IMAP mailbox → messages, through the same inbound pipeline
// as webhooks. Threading (providers.md §6): a reply joins the case of the first Message-ID it
// names that we know (In-Reply-To, then References newest first, then a bounce's original),
// including the ids of our own replies; a mail that names none opens a new thread, keyed by its
// root id. Subjects never thread.
@Injectable()
export class EmailInboundService {
  private readonly logger = new Logger('Email');

  constructor(
    private readonly inbound: InboundService,
    private readonly threads: EmailThreadsRepository,
  ) {}

  // Stores the mail once per channel; returns when everything is committed. Throws
  // EmailRejectedError for a mail that can never be stored, anything else when storage failed
  // (the sender should retry).
  async deliver(raw: Buffer, envelope: EmailEnvelope, channels: readonly LoadedChannel[]): Promise<EmailDelivery[]> {
    const mail = await parseEmail(raw, envelope);
    const sender = mail.from ?? (envelope.mailFrom ? { address: envelope.mailFrom.trim().toLowerCase(), name: null } : null);
    if (!sender?.address.includes('@')) throw new EmailRejectedError(550, 'The message has no sender address');
    const deliveries: EmailDelivery[] = [];
    for (const channel of channels) deliveries.push(await this.deliverTo(channel, raw, mail, sender));
    return deliveries;
  }

  private async deliverTo(channel: LoadedChannel, raw: Buffer, mail: ParsedEmail, sender: { address: string; name: string | null }): Promise<EmailDelivery> {
    const ch = channel.entity;
    if (await this.threads.isOwnReply(ch.id, mail.messageId)) return { kind: 'ignored', reason: 'our own reply came back' };
    const thread = await this.threads.resolve(ch.id, mail.threadCandidates);
    const event: MessageEvent = {
      kind: 'message',
      providerMessageId: mail.messageId,
      threadKey: thread?.threadKey || mail.threadRoot,
      from: { address: sender.address, email: sender.address, ...(sender.name ? { name: sender.name } : {}) },
      // The sender's clock: kept unless it claims the future.
      timestamp: mail.date && mail.date.getTime() < Date.now() ? mail.date : new Date(),
      content: contentOf(mail),
      ...(mail.caseSubject ? { subject: mail.caseSubject } : {}),
      ...(mail.automated ? { automated: true } : {}),
    };
    const outcome = await this.inbound.ingestMessage(channel, event, {
      ...(thread ? { replyToCaseId: thread.caseId } : {}),
      onStored: async (m, stored) => {
        await m.insert(EmailSourceEntity, { messageId: stored.messageId, tenantId: stored.tenantId, channelId: ch.id, raw });
      },
    });
    if (outcome.kind !== 'message') throw new Error('Unexpected ingest outcome');
    this.logger.log({ tenantId: ch.tenantId, channelId: ch.id, caseId: outcome.caseId, messageId: outcome.id, duplicate: outcome.duplicate, automated: mail.automated }, 'email stored');
    if (mail.bounce?.originalMessageId && !outcome.duplicate) {
      // The bounced mail is one of our replies: it failed after all (RFC 3464).
      await this.inbound.applyStatus(channel, {
        kind: 'status',
        externalId: mail.bounce.originalMessageId,
        status: 'failed',
        error: `Bounced: ${mail.bounce.reason ?? 'the recipient’s server returned the message'}`,
      });
    }
    return outcome;
  }
}

// The message as agents read it: the new text of the mail (quoted history removed). The full mail
// stays available as its raw source.
function contentOf(mail: ParsedEmail): Content {
  const text = mail.text.trim() !== '' ? mail.text : (mail.subject ?? '(empty message)');
  return { text };
}
