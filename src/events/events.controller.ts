import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthUser, CurrentUser } from '../auth/auth.decorators';
import { ApiZodQuery, ZodQuery } from '../common/zod-body';
import { UsersService } from '../users/users.service';
import { EventsService, type ParleyEvent } from './events.service';

const listEvents = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly users: UsersService,
  ) {}

  // What a reconnecting client missed, with the same visibility as the socket.
  @Get()
  @ApiZodQuery(listEvents)
  async list(@CurrentUser() user: AuthUser, @ZodQuery(listEvents) query: z.infer<typeof listEvents>): Promise<{ items: ParleyEvent[]; lastSeq: number }> {
    const skillIds = user.role === 'agent' ? await this.users.skillIdsOf(user.tenantId, user.id) : [];
    return this.events.list(user, skillIds, query.after, query.limit);
  }
}
