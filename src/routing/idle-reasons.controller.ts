import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody } from '../common/zod-body';
import { IdleReasonsService, type IdleReasonView } from './idle-reasons.service';
import { idleReasonInput } from './routing.schemas';

@ApiTags('routing')
@ApiBearerAuth()
@Controller('api/v1/idle-reasons')
export class IdleReasonsController {
  constructor(private readonly reasons: IdleReasonsService) {}

  @Get()
  async list(@CurrentUser() user: AuthUser): Promise<{ items: IdleReasonView[] }> {
    return { items: await this.reasons.list(user.tenantId) };
  }

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiZodBody(idleReasonInput)
  create(@CurrentUser() user: AuthUser, @ZodBody(idleReasonInput) body: z.infer<typeof idleReasonInput>): Promise<IdleReasonView> {
    return this.reasons.create(user.tenantId, body);
  }

  @Delete(':code')
  @HttpCode(204)
  @Roles('admin')
  async remove(@CurrentUser() user: AuthUser, @Param('code') code: string): Promise<void> {
    await this.reasons.remove(user.tenantId, code);
  }
}
