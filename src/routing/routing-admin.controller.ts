import { Controller, Get, Param, ParseUUIDPipe, Patch, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody } from '../common/zod-body';
import { DispatcherService } from './dispatcher.service';
import { RoutingSettingsService, type RoutingSettingsView } from './routing-settings.service';
import { routingSettings, skillRoutingPatch } from './routing.schemas';
import { SkillRoutingService, type SkillRoutingView } from './skill-routing.service';

@ApiTags('routing')
@ApiBearerAuth()
@Controller('api/v1/routing/settings')
export class RoutingSettingsController {
  constructor(
    private readonly settings: RoutingSettingsService,
    private readonly dispatcher: DispatcherService,
  ) {}

  @Get()
  @Roles('admin', 'supervisor')
  get(@CurrentUser() user: AuthUser): Promise<RoutingSettingsView> {
    return this.settings.get(user.tenantId);
  }

  // Tenant defaults of capacity per channel family; PATCH /users/:id {capacity} overrides them.
  @Put()
  @Roles('admin')
  @ApiZodBody(routingSettings)
  async update(@CurrentUser() user: AuthUser, @ZodBody(routingSettings) body: z.infer<typeof routingSettings>): Promise<RoutingSettingsView> {
    const view = await this.settings.update(user.tenantId, body);
    // More room may mean waiting cases can be offered now.
    void this.dispatcher.requestQueued();
    return view;
  }
}

@ApiTags('skills')
@ApiBearerAuth()
@Controller('api/v1/skills')
export class SkillRoutingController {
  constructor(
    private readonly skills: SkillRoutingService,
    private readonly dispatcher: DispatcherService,
  ) {}

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SkillRoutingView> {
    return this.skills.view(user.tenantId, id);
  }

  // Routing mode, offer timeout, business hours with the out-of-hours reply, SLA targets.
  @Patch(':id')
  @Roles('admin')
  @ApiZodBody(skillRoutingPatch)
  async update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @ZodBody(skillRoutingPatch) body: z.infer<typeof skillRoutingPatch>): Promise<SkillRoutingView> {
    const view = await this.skills.update(user.tenantId, id, body);
    this.dispatcher.requestSkill(user.tenantId, id);
    return view;
  }
}
