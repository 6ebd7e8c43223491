import { Logger } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { AuthUser } from '../auth/auth.decorators';
import { TokenService } from '../auth/token.service';
import { EventPublisher } from '../events/event-publisher';
import { NoticePublisher } from '../events/notice-publisher';
import type { StoredEvent } from '../events/events.service';
import { UsersService } from '../users/users.service';

interface AgentSocketData {
  user: AuthUser;
  skillIds: string[];
}

// Rooms mirror the visibility rules of API.md §8, so socket.io does the fan-out (and, with the
// Redis adapter, across instances): supervisors' room, each agent's own room, each skill queue.
export const rooms = {
  supervisors: (tenantId: string) => `t:${tenantId}:all`,
  admins: (tenantId: string) => `t:${tenantId}:admins`,
  tenant: (tenantId: string) => `t:${tenantId}`,
  user: (userId: string) => `u:${userId}`,
  skill: (tenantId: string, skillId: string) => `t:${tenantId}:s:${skillId}`,
};

export function roomsFor(event: StoredEvent): string[] {
  if (event.type === 'agent.state') return [rooms.tenant(event.tenantId)];
  const out = [rooms.supervisors(event.tenantId)];
  if (event.assigneeId) out.push(rooms.user(event.assigneeId));
  else if (event.skillId) out.push(rooms.skill(event.tenantId, event.skillId));
  return out;
}

@WebSocketGateway({ namespace: '/agents', cors: { origin: true, credentials: true } })
export class AgentsGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket> {
  private readonly logger = new Logger('AgentsGateway');

  constructor(
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    private readonly publisher: EventPublisher,
    private readonly notices: NoticePublisher,
  ) {}

  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      let user: AuthUser;
      try {
        user = this.tokens.verify(typeof token === 'string' ? token : undefined);
      } catch {
        next(new Error('unauthorized'));
        return;
      }
      this.users.skillIdsOf(user.tenantId, user.id).then(
        (skillIds) => {
          (socket.data as AgentSocketData) = { user, skillIds };
          next();
        },
        (error: unknown) => {
          this.logger.warn({ err: error }, 'socket handshake failed');
          next(new Error('unavailable'));
        },
      );
    });
    this.publisher.subscribe((events) => {
      for (const event of events) {
        const { seq, type, data, at } = event;
        namespace.to(roomsFor(event)).emit(type, { seq, type, data, at });
      }
    });
    // Not part of the sequenced log: no seq, nothing to replay.
    this.notices.subscribe(({ tenantId, type, data, at }) => {
      namespace.to(rooms.admins(tenantId)).emit(type, { type, data, at });
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const { user, skillIds } = socket.data as AgentSocketData;
    const joined = [rooms.tenant(user.tenantId)];
    if (user.role === 'agent') {
      joined.push(rooms.user(user.id), ...skillIds.map((s) => rooms.skill(user.tenantId, s)));
    } else {
      joined.push(rooms.supervisors(user.tenantId), rooms.user(user.id));
      if (user.role === 'admin') joined.push(rooms.admins(user.tenantId));
    }
    await socket.join(joined);
  }
}
