import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { type AuthUser, CurrentUser } from '../auth/auth.decorators';
import { ApiZodQuery, ZodQuery } from '../common/zod-body';
import { UsersService } from '../users/users.service';
import { QueueService, type QueueView } from './queue.service';
import { queuesQuery } from './routing.schemas';

@ApiTags('routing')
@ApiBearerAuth()
@Controller('api/v1/queues')
export class QueuesController {
  constructor(
    private readonly queues: QueueService,
    private readonly users: UsersService,
  ) {}

  // Supervisors and admins see every queue; agents the queues of their skills.
  @Get()
  @ApiZodQuery(queuesQuery)
  async list(@CurrentUser() user: AuthUser, @ZodQuery(queuesQuery) query: z.infer<typeof queuesQuery>): Promise<{ items: QueueView[] }> {
    let skillIds: string[] | null = user.role === 'agent' ? await this.users.skillIdsOf(user.tenantId, user.id) : null;
    if (query.skillId) skillIds = skillIds ? skillIds.filter((s) => s === query.skillId) : [query.skillId];
    return { items: await this.queues.list(user.tenantId, skillIds, query.limit) };
  }
}
