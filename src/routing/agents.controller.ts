import { Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody } from '../common/zod-body';
import { AgentStateService, type AgentStateView, type AgentView } from './agent-state.service';
import { agentStateInput } from './routing.schemas';

type StateBody = z.infer<typeof agentStateInput>;

@ApiTags('routing')
@ApiBearerAuth()
@Controller('api/v1/agents')
export class AgentsController {
  constructor(private readonly agents: AgentStateService) {}

  @Get()
  @Roles('admin', 'supervisor')
  async list(@CurrentUser() user: AuthUser): Promise<{ items: AgentView[] }> {
    return { items: await this.agents.list(user.tenantId) };
  }

  @Get('me/state')
  mine(@CurrentUser() user: AuthUser): Promise<AgentStateView> {
    return this.agents.get(user.tenantId, user.id);
  }

  // `offline` is the system's to set (no socket for the grace period).
  @Put('me/state')
  @ApiZodBody(agentStateInput)
  setMine(@CurrentUser() user: AuthUser, @ZodBody(agentStateInput) body: StateBody): Promise<AgentStateView> {
    return this.agents.set(user.tenantId, user.id, body, 'agent');
  }

  @Put(':userId/state')
  @Roles('admin', 'supervisor')
  @ApiZodBody(agentStateInput)
  setOther(@CurrentUser() user: AuthUser, @Param('userId', ParseUUIDPipe) userId: string, @ZodBody(agentStateInput) body: StateBody): Promise<AgentStateView> {
    return this.agents.set(user.tenantId, userId, body, userId === user.id ? 'agent' : 'supervisor');
  }
}
