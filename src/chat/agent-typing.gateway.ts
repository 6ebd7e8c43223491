import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Socket } from 'socket.io';
import { Public } from '../auth/auth.decorators';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { AuthUser } from '../auth/auth.decorators';
import { CasesService } from '../cases/cases.service';
import { type ErrorBody, toErrorBody } from '../common/error-body';
import { parseOrThrow } from '../common/zod';
import { ChatPush } from './chat-push';

// What the /agents handshake (AgentsGateway) leaves on each socket, plus the name shown to
// visitors, read once.
interface AgentSocketData {
  user: AuthUser;
  skillIds: string[];
  displayName?: string | null;
}

const typingSchema = z.object({ caseId: z.uuid(), typing: z.boolean().default(true) });

// Agents' typing indicator: an agent emits `typing` `{caseId, typing}` on /agents; the visitor of
// a web chat case sees it (`typing` on /chat). Other channels have no way to show it. Shares the
// /agents namespace, and its authenticated sockets, with AgentsGateway.
// The HTTP guard does not apply: sockets are authenticated once, by the namespace's handshake.
@Public()
@WebSocketGateway({ namespace: '/agents', cors: { origin: true, credentials: true } })
export class AgentTypingGateway {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly push: ChatPush,
  ) {}

  // Acknowledged with {shown}: false when the case's channel cannot show typing.
  @SubscribeMessage('typing')
  async typing(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<{ shown: boolean } | { error: ErrorBody }> {
    const data = socket.data as AgentSocketData;
    try {
      const { caseId, typing } = parseOrThrow(typingSchema, body ?? {});
      const c = await this.cases.visible({ user: data.user, skillIds: data.skillIds }, caseId);
      if (c.channelType !== 'chat' || c.status === 'closed') return { shown: false };
      if (data.displayName === undefined) {
        const rows: Array<{ name: string }> = await this.db.query('SELECT name FROM users WHERE tenant_id = $1 AND id = $2', [data.user.tenantId, data.user.id]);
        data.displayName = rows[0]?.name ?? null;
      }
      this.push.typing(c.channelId, c.contactAddress, { typing, name: data.displayName });
      return { shown: true };
    } catch (error) {
      return { error: toErrorBody(error) };
    }
  }
}
