import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type ParsedEmail, parseEmail } from '../../channels/email/email.parser';
import type { CaseAccess } from '../cases/case-access';
import { CasesService } from '../cases/cases.service';
import { NotFoundError } from '../common/errors';
import { MessageEntity } from '../messages/message.entity';
import { EmailSourceEntity } from './email-source.entity';

export interface EmailDetailsView {
  messageId: string;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name: string | null } | null;
  subject: string | null;
  date: string | null;
  // The new text as the message shows it, and the HTML part sanitised for display (quoted
  // history removed from both); the full mail is at /raw.
  text: string;
  html: string | null;
  automated: 'auto_reply' | 'bounce' | 'bulk' | null;
  attachments: Array<{ filename: string; contentType: string; size: number; inline: boolean }>;
}

// An inbound email's source, for agents who need more than the message text: the raw .eml and
// its parsed headers and HTML. Visible to whoever may see the message's case.
@Injectable()
export class EmailMessagesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
  ) {}

  async raw(access: CaseAccess, messageId: string): Promise<Buffer> {
    return this.source(access, messageId);
  }

  async details(access: CaseAccess, messageId: string): Promise<EmailDetailsView> {
    const mail = await parseEmail(await this.source(access, messageId));
    return toDetailsView(mail);
  }

  private async source(access: CaseAccess, messageId: string): Promise<Buffer> {
    const tenantId = access.user.tenantId;
    const message = await this.db.getRepository(MessageEntity).findOneBy({ tenantId, id: messageId });
    if (!message) throw new NotFoundError('Message');
    await this.cases.visible(access, message.caseId);
    const source = await this.db.getRepository(EmailSourceEntity).findOneBy({ tenantId, messageId });
    if (!source) throw new NotFoundError('Email source');
    // PGlite hands bytea back as a Uint8Array, pg as a Buffer.
    return Buffer.from(source.raw.buffer, source.raw.byteOffset, source.raw.byteLength);
  }
}

function toDetailsView(mail: ParsedEmail): EmailDetailsView {
  return {
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    from: mail.from,
    subject: mail.subject,
    date: mail.date?.toISOString() ?? null,
    text: mail.text,
    html: mail.html,
    automated: mail.automated,
    attachments: mail.attachments.map(({ filename, contentType, size, inline }) => ({ filename, contentType, size, inline })),
  };
}
