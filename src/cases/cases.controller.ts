import { Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthUser, CurrentUser } from '../auth/auth.decorators';
import { ApiZodBody, ApiZodQuery, ZodBody, ZodQuery } from '../common/zod-body';
import { MessagesService } from '../messages/messages.service';
import type { MessageView } from '../messages/message-view';
import type { ReplyPreview } from '../messages/messages.service';
import { UsersService } from '../users/users.service';
import { CASE_STATUSES } from './case.entity';
import type { CaseAccess } from './case-access';
import type { CaseView } from './case-view';
import { CasesService } from './cases.service';

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(item));

const listCases = z.object({
  status: csv(z.enum(CASE_STATUSES)).optional(),
  channelType: csv(z.string().max(20)).optional(),
  skillId: z.uuid().optional(),
  assigneeId: z.uuid().optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});

const patchCase = z
  .object({
    status: z.enum(CASE_STATUSES),
    assigneeId: z.uuid().nullable(),
    skillId: z.uuid(),
    priority: z.number().int().min(0).max(100),
  })
  .partial()
  .strict();

const listMessages = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const preview = z.object({ content: z.unknown() }).strict();

const reply = z.object({ content: z.unknown(), internal: z.boolean().optional() }).strict();

@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1/cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly messages: MessagesService,
    private readonly users: UsersService,
  ) {}

  @Get()
  @ApiZodQuery(listCases)
  async list(@CurrentUser() user: AuthUser, @ZodQuery(listCases) query: z.infer<typeof listCases>): Promise<{ items: CaseView[]; nextCursor: string | null }> {
    return this.cases.list(await this.access(user), query);
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CaseView> {
    return this.cases.get(await this.access(user), id);
  }

  @Patch(':id')
  @ApiZodBody(patchCase)
  async update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @ZodBody(patchCase) body: z.infer<typeof patchCase>): Promise<CaseView> {
    return this.cases.update(await this.access(user), id, body);
  }

  @Get(':id/messages')
  @ApiZodQuery(listMessages)
  async history(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @ZodQuery(listMessages) query: z.infer<typeof listMessages>): Promise<{ items: MessageView[]; nextCursor: string | null }> {
    return this.messages.history(await this.access(user), id, query.cursor, query.limit);
  }

  @Post(':id/messages')
  @HttpCode(201)
  @ApiZodBody(reply)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key return the first message instead of sending twice' })
  async reply(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @ZodBody(reply) body: z.infer<typeof reply>,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<MessageView> {
    const key = idempotencyKey?.trim().slice(0, 200) || undefined;
    return this.messages.reply(await this.access(user), id, { content: body.content, internal: body.internal, idempotencyKey: key });
  }

  // How the case's channel would render this content (nothing is stored or sent).
  @Post(':id/preview')
  @HttpCode(200)
  @ApiZodBody(preview)
  async preview(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @ZodBody(preview) body: z.infer<typeof preview>): Promise<ReplyPreview> {
    return this.messages.preview(await this.access(user), id, body.content);
  }

  private async access(user: AuthUser): Promise<CaseAccess> {
    return { user, skillIds: user.role === 'agent' ? await this.users.skillIdsOf(user.tenantId, user.id) : [] };
  }
}
