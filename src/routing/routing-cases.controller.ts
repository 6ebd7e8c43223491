import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthUser, CurrentUser } from '../auth/auth.decorators';
import type { CaseAccess } from '../cases/case-access';
import type { CaseView } from '../cases/case-view';
import { ApiZodBody, ZodBody } from '../common/zod-body';
import { UsersService } from '../users/users.service';
import { AssignmentService, type AssignmentView } from './assignment.service';
import { transferInput } from './routing.schemas';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1/cases')
export class RoutingCasesController {
  constructor(
    private readonly assignments: AssignmentService,
    private readonly users: UsersService,
  ) {}

  // The agent a case is offered to takes it.
  @Post(':id/accept')
  @HttpCode(200)
  async accept(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CaseView> {
    return this.assignments.accept(await this.access(user), id);
  }

  // …or gives it back to the queue (it is offered to the others first).
  @Post(':id/decline')
  @HttpCode(200)
  async decline(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CaseView> {
    return this.assignments.decline(await this.access(user), id);
  }

  // Manual queues: the first pick wins, later ones get 409.
  @Post(':id/pick')
  @HttpCode(200)
  async pick(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CaseView> {
    return this.assignments.pick(await this.access(user), id);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiZodBody(transferInput)
  async transfer(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @ZodBody(transferInput) body: z.infer<typeof transferInput>): Promise<CaseView> {
    return this.assignments.transfer(await this.access(user), id, body);
  }

  // Who held the case when.
  @Get(':id/assignments')
  async assignmentsOf(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<{ items: AssignmentView[] }> {
    return this.assignments.history(await this.access(user), id);
  }

  private async access(user: AuthUser): Promise<CaseAccess> {
    return { user, skillIds: user.role === 'agent' ? await this.users.skillIdsOf(user.tenantId, user.id) : [] };
  }
}
