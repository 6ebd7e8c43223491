import { Controller, Get, Header, Param, ParseUUIDPipe, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/auth.decorators';
import type { CaseAccess } from '../cases/case-access';
import { UsersService } from '../users/users.service';
import { type EmailDetailsView, EmailMessagesService } from './email-messages.service';

@ApiTags('email')
@ApiBearerAuth()
@Controller('api/v1/messages')
export class EmailMessagesController {
  constructor(
    private readonly messages: EmailMessagesService,
    private readonly users: UsersService,
  ) {}

  // The mail exactly as received (RFC 5322), quoted history and every attachment included.
  @Get(':id/raw')
  @ApiProduces('message/rfc822')
  @ApiOkResponse({ description: 'The .eml of an inbound email message; 404 for other messages' })
  @Header('cache-control', 'private, no-store')
  @Header('x-content-type-options', 'nosniff')
  async raw(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    const raw = await this.messages.raw(await this.access(user), id);
    return new StreamableFile(raw, { type: 'message/rfc822', disposition: `attachment; filename="${id}.eml"`, length: raw.length });
  }

  // Headers, sanitised HTML and attachment list of an inbound email message.
  @Get(':id/email')
  @ApiOkResponse({ description: 'Threading headers, sender, subject, sanitised HTML, automated kind and attachments of an inbound email' })
  async email(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<EmailDetailsView> {
    return this.messages.details(await this.access(user), id);
  }

  private async access(user: AuthUser): Promise<CaseAccess> {
    return { user, skillIds: user.role === 'agent' ? await this.users.skillIdsOf(user.tenantId, user.id) : [] };
  }
}
