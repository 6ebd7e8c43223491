import { Logger } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { AuthUser } from '../auth/auth.decorators';
import { TokenService } from '../auth/token.service';
import { EventPublisher } from '../events/event-publisher';
import { NoticePublisher } from '../events/notice-publisher';
import type { StoredEvent } from '../events/events.service';
import { SkillsService } from '../skills/skills.service';
import { UserChanges } from '../users/user-changes';
import { UsersService } from '../users/users.service';

interface AgentSocketData {
  user: AuthUser;
  skillIds: string[];
}

// A user's first socket on this instance opened, or their last one here closed.
export interface PresenceChange {
  user: AuthUser;
  connected: boolean;
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
  // Those who just lost sight of the case hear of it once more, so their view drops it.
  if (event.formerAssigneeId) out.push(rooms.user(event.formerAssigneeId));
  if (event.formerSkillId) out.push(rooms.skill(event.tenantId, event.formerSkillId));
  return out;
}

// The rooms a user's sockets belong to besides the tenant's and their own.
function visibilityRooms(tenantId: string, role: AuthUser['role'], skillIds: string[]): string[] {
  if (role === 'agent') return skillIds.map((s) => rooms.skill(tenantId, s));
  return role === 'admin' ? [rooms.supervisors(tenantId), rooms.admins(tenantId)] : [rooms.supervisors(tenantId)];
}

@WebSocketGateway({ namespace: '/agents', cors: { origin: true, credentials: true } })
export class AgentsGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket>, OnGatewayDisconnect<Socket> {
  private readonly logger = new Logger('AgentsGateway');
  private namespace: Namespace | null = null;
  // Sockets per user on this instance.
  private readonly local = new Map<string, { user: AuthUser; sockets: number }>();
  private readonly presenceListeners: Array<(change: PresenceChange) => void> = [];

  constructor(
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    private readonly skills: SkillsService,
    private readonly publisher: EventPublisher,
    private readonly notices: NoticePublisher,
    private readonly userChanges: UserChanges,
  ) {}

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      let user: AuthUser;
      try {
        user = this.tokens.verify(typeof token === 'string' ? token : undefined);
      } catch {
        next(new Error('unauthorized'));
        return;
      }
      this.users.get(user.tenantId, user.id).then(
        (current) => {
          // Role and skills as they are now, not as the token remembers them.
          (socket.data as AgentSocketData) = { user: { ...user, role: current.role }, skillIds: current.skillIds };
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
    // A role or skill change moves the user's open sockets (on every instance, through the
    // adapter) at once: no reconnect needed to see a new queue or to stop seeing an old one.
    this.userChanges.subscribe(({ tenantId, userId }) => {
      this.refreshRooms(tenantId, userId).catch((error: unknown) => this.logger.warn({ err: error, userId }, 'room refresh failed'));
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const { user, skillIds } = socket.data as AgentSocketData;
    await socket.join([rooms.tenant(user.tenantId), rooms.user(user.id), ...visibilityRooms(user.tenantId, user.role, skillIds)]);
    const entry = this.local.get(user.id);
    if (entry) entry.sockets++;
    else {
      this.local.set(user.id, { user, sockets: 1 });
      this.notify({ user, connected: true });
    }
  }

  handleDisconnect(socket: Socket): void {
    const data = socket.data as AgentSocketData | undefined;
    if (!data?.user) return;
    const entry = this.local.get(data.user.id);
    if (!entry) return;
    entry.sockets--;
    if (entry.sockets > 0) return;
    this.local.delete(data.user.id);
    this.notify({ user: data.user, connected: false });
  }

  onPresence(listener: (change: PresenceChange) => void): void {
    this.presenceListeners.push(listener);
  }

  // Users with at least one socket on this instance.
  localUsers(): AuthUser[] {
    return [...this.local.values()].map((e) => e.user);
  }

  // Whether the user has a socket on any instance (with the Redis adapter the question goes to
  // every instance; without it, this one is the only one there is).
  async isConnected(userId: string): Promise<boolean> {
    if (!this.namespace) return this.local.has(userId);
    const sockets = await this.namespace.in(rooms.user(userId)).fetchSockets();
    return sockets.length > 0;
  }

  async refreshRooms(tenantId: string, userId: string): Promise<void> {
    if (!this.namespace) return;
    const user = await this.users.get(tenantId, userId);
    const all = [rooms.supervisors(tenantId), rooms.admins(tenantId), ...(await this.skills.list(tenantId)).map((s) => rooms.skill(tenantId, s.id))];
    const wanted = visibilityRooms(tenantId, user.role, user.skillIds);
    const sockets = this.namespace.in(rooms.user(userId));
    sockets.socketsLeave(all.filter((r) => !wanted.includes(r)));
    sockets.socketsJoin(wanted);
  }

  private notify(change: PresenceChange): void {
    for (const listener of this.presenceListeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.warn({ err: error }, 'presence listener failed');
      }
    }
  }
}
