import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody } from '../common/zod-body';
import { SkillsService, type SkillView } from './skills.service';

const createSkill = z.object({ name: z.string().trim().min(1).max(100) });

@ApiTags('skills')
@ApiBearerAuth()
@Controller('api/v1/skills')
export class SkillsController {
  constructor(private readonly skills: SkillsService) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiZodBody(createSkill)
  create(@CurrentUser() user: AuthUser, @ZodBody(createSkill) body: z.infer<typeof createSkill>): Promise<SkillView> {
    return this.skills.create(user.tenantId, body.name);
  }

  @Get()
  async list(@CurrentUser() user: AuthUser): Promise<{ items: SkillView[] }> {
    return { items: await this.skills.list(user.tenantId) };
  }
}
