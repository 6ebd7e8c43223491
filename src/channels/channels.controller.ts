import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CHANNEL_KINDS } from '../../channels/channel-adapter.port';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody } from '../common/zod-body';
import { channelTypesView } from '../content/channel-capabilities';
import { ChannelsService, type ChannelView } from './channels.service';

const createChannel = z
  .object({
    type: z.enum(CHANNEL_KINDS),
    name: z.string().trim().min(1).max(200),
    defaultSkillId: z.uuid(),
    enabled: z.boolean().optional(),
    // Validated by the channel kind's own schema in the service.
    config: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const updateChannel = z
  .object({
    name: z.string().trim().min(1).max(200),
    defaultSkillId: z.uuid(),
    enabled: z.boolean(),
    config: z.record(z.string(), z.unknown()),
  })
  .partial()
  .strict();

@ApiTags('channels')
@ApiBearerAuth()
@Controller('api/v1')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post('channels')
  @HttpCode(201)
  @Roles('admin')
  @ApiZodBody(createChannel)
  create(@CurrentUser() user: AuthUser, @ZodBody(createChannel) body: z.infer<typeof createChannel>): Promise<ChannelView> {
    return this.channels.create(user.tenantId, body);
  }

  @Get('channels')
  @Roles('admin', 'supervisor')
  async list(@CurrentUser() user: AuthUser): Promise<{ items: ChannelView[] }> {
    return { items: await this.channels.list(user.tenantId) };
  }

  @Get('channels/:id')
  @Roles('admin', 'supervisor')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<ChannelView> {
    return this.channels.get(user.tenantId, id);
  }

  @Patch('channels/:id')
  @Roles('admin')
  @ApiZodBody(updateChannel)
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @ZodBody(updateChannel) body: z.infer<typeof updateChannel>): Promise<ChannelView> {
    return this.channels.update(user.tenantId, id, body);
  }

  @Delete('channels/:id')
  @HttpCode(204)
  @Roles('admin')
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.channels.remove(user.tenantId, id);
  }

  // The capability matrix: what each channel kind renders natively, and its limits.
  @Get('channel-types')
  types(): ReturnType<typeof channelTypesView> {
    return channelTypesView();
  }
}
