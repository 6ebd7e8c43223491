import { Injectable, Logger } from '@nestjs/common';
import type { InboundEvent, IngestOutcome } from '../../channels/channel-adapter.port';
import { type EmailEnvelope, type ParsedEmail, parseEmail } from '../../channels/email/email.parser';
import type { LoadedChannel } from '../channels/channels.service';
import { DomainError } from '../common/errors';
import { type Attachment, CONTENT_LIMITS, type Content } from '../content/content.schema';
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
    let mail: ParsedEmail;
    try {
      mail = await parseEmail(raw, envelope);
    } catch (error) {
      // Retrying the same bytes cannot help; IMAP leaves the mail in the mailbox.
      this.logger.warn({ err: error }, 'unparseable mail refused');
      throw new EmailRejectedError(554, '5.6.0 The message could not be parsed');
    }
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
    // Before the message's transaction: media storage has its own (PGlite has one connection).
    // A redelivery is answered by the pipeline's dedupe without storing its media again.
    const kept = (await this.threads.isStored(ch.id, mail.messageId)) ? { attachments: [], left: [] } : await this.keepAttachments(channel, mail);
    const event: MessageEvent = {
      kind: 'message',
      providerMessageId: mail.messageId,
      threadKey: thread?.threadKey || mail.threadRoot,
      from: { address: sender.address, email: sender.address, ...(sender.name ? { name: sender.name } : {}) },
      // The sender's clock: kept unless it claims the future.
      timestamp: mail.date && mail.date.getTime() < Date.now() ? mail.date : new Date(),
      content: contentOf(mail, kept),
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

  // Attachments (embedded images included: pasted screenshots are often sent that way) go to
  // Parley's media storage. One over MEDIA_MAX_BYTES, or past the number a message may carry, is
  // named in the text instead; the raw mail still has it.
  private async keepAttachments(channel: LoadedChannel, mail: ParsedEmail): Promise<KeptAttachments> {
    const kept: KeptAttachments = { attachments: [], left: [] };
    const media = channel.context.media;
    for (const attachment of mail.attachments) {
      const name = attachment.filename.slice(0, 255);
      if (!media || kept.attachments.length >= CONTENT_LIMITS.maxAttachments) {
        kept.left.push(`${name} (not kept)`);
        continue;
      }
      try {
        const stored = await media.save({ data: attachment.content, contentType: attachment.contentType, name });
        kept.attachments.push({ url: stored.url, contentType: stored.contentType, name });
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'PAYLOAD_TOO_LARGE')) throw error;
        kept.left.push(`${name} (${attachment.size} bytes, over the size limit)`);
      }
    }
    return kept;
  }
}

interface KeptAttachments {
  attachments: Attachment[];
  // Attachments not stored, described for the agent.
  left: string[];
}

// The message as agents read it: the new text of the mail (quoted history removed) and its
// attachments. The full mail stays available as its raw source.
function contentOf(mail: ParsedEmail, kept: KeptAttachments): Content {
  const notes = kept.left.map((line) => `[Attachment ${line}; it is in the original message]`);
  const body = mail.text.trim() !== '' ? mail.text : kept.attachments.length > 0 ? '' : (mail.subject ?? '(empty message)');
  const text = [body, ...notes].filter((part) => part !== '').join('\n\n');
  return { ...(text !== '' ? { text } : {}), ...(kept.attachments.length > 0 ? { attachments: kept.attachments } : {}) };
}
