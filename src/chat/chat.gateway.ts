import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { Public } from '../auth/auth.decorators';
import { type ErrorBody, toErrorBody } from '../common/error-body';
import { DomainError } from '../common/errors';
import { rooms } from '../realtime/agents.gateway';
import { ChatPush } from './chat-push';
import { visitorRoom } from './chat-rooms';
import { ChatService } from './chat.service';
import { RateWindow } from './rate-window';
import type { VisitorMessageView } from './visitor-message';
import type { Visitor } from './visitor-token.service';

interface VisitorSocketData {
  visitor: Visitor;
  sends: RateWindow;
  receipts: RateWindow;
  typings: RateWindow;
}

export type SendAck = { message: VisitorMessageView; duplicate: boolean } | { error: ErrorBody };

// What the conversation restore sends on connect: the latest page, oldest first.
const HISTORY_ON_CONNECT = 50;
// Messages one connection may send per minute: a person typing never gets near it.
const SENDS_PER_MINUTE = 30;
// Receipts come in bursts (a restored history); the widget reports typing at most every few
// seconds. Beyond these, events are refused.
const RECEIPTS_PER_MINUTE = 300;
const TYPINGS_PER_MINUTE = 40;

// The handshake refusal a client reads in `connect_error` (err.message).
function refusal(error: unknown): string {
  if (error instanceof DomainError) {
    if (error.code === 'UNAUTHORIZED') return 'unauthorized';
    if (error.code === 'FORBIDDEN') return 'forbidden';
    if (error.code === 'NOT_FOUND') return 'not_found';
  }
  return 'unavailable';
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// socket.io namespace /chat (API.md §9): the web chat widget's connection. Handshake
// `auth: {token: <visitorToken>}`, checked with the channel's allowedOrigins; each visitor joins
// their own room, which is where replies (ChatPush) and their own messages are emitted.
// The HTTP guard does not apply: sockets are authenticated once, by the namespace's handshake.
@Public()
@WebSocketGateway({ namespace: '/chat', cors: { origin: true, credentials: true } })
export class ChatGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket> {
  private readonly logger = new Logger('ChatGateway');
  private namespace!: Namespace;

  constructor(
    private readonly chat: ChatService,
    private readonly push: ChatPush,
  ) {}

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    this.push.attach(namespace);
    namespace.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      this.chat.authenticate(token, header(socket.handshake.headers.origin)).then(
        ({ visitor }) => {
          const data: VisitorSocketData = {
            visitor,
            sends: new RateWindow(SENDS_PER_MINUTE, 60_000),
            receipts: new RateWindow(RECEIPTS_PER_MINUTE, 60_000),
            typings: new RateWindow(TYPINGS_PER_MINUTE, 60_000),
          };
          socket.data = data;
          next();
        },
        (error: unknown) => {
          if (!(error instanceof DomainError)) this.logger.warn({ err: error }, 'chat handshake failed');
          next(new Error(refusal(error)));
        },
      );
    });
  }

  // Joins the visitor's room and restores the conversation: the latest messages, which also
  // covers replies sent while the visitor had no connection open.
  async handleConnection(socket: Socket): Promise<void> {
    const { visitor } = socket.data as VisitorSocketData;
    await socket.join(visitorRoom(visitor.channelId, visitor.id));
    try {
      socket.emit('history', await this.chat.history(visitor, { limit: HISTORY_ON_CONNECT }));
    } catch (error) {
      this.logger.warn({ err: error, channelId: visitor.channelId }, 'chat history failed');
    }
  }

  // Acknowledged with {message, duplicate} or {error}. A resend of the same clientMessageId
  // (after a reconnect) stores nothing new and answers with the original message.
  @SubscribeMessage('message.send')
  async send(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<SendAck> {
    const { visitor, sends } = socket.data as VisitorSocketData;
    try {
      if (!sends.take()) throw new DomainError('RATE_LIMITED', `At most ${SENDS_PER_MINUTE} messages a minute`);
      const result = await this.chat.send(visitor, body);
      // Every tab of the visitor shows a new message; only the sender hears of a resend.
      const target = result.duplicate ? socket : this.namespace.to(visitorRoom(visitor.channelId, visitor.id));
      target.emit('message.created', { message: result.message });
      return result;
    } catch (error) {
      return { error: this.errorBody(error, visitor) };
    }
  }

  // `{messageId, status: "delivered" | "read"}` for an agent's message.
  @SubscribeMessage('message.status')
  async receipt(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<{ applied: boolean } | { error: ErrorBody }> {
    const { visitor, receipts } = socket.data as VisitorSocketData;
    try {
      if (!receipts.take()) throw new DomainError('RATE_LIMITED', `At most ${RECEIPTS_PER_MINUTE} receipts a minute`);
      return await this.chat.receipt(visitor, body);
    } catch (error) {
      return { error: this.errorBody(error, visitor) };
    }
  }

  // `{typing: boolean}`: shown to the agents who see the visitor's live case, as `typing` on
  // /agents. Nothing to show before the first message (no case yet).
  @SubscribeMessage('typing')
  async typing(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<void> {
    const { visitor, typings } = socket.data as VisitorSocketData;
    if (!typings.take()) return;
    const typing = typeof body === 'object' && body !== null && (body as { typing?: unknown }).typing === true;
    const c = await this.chat.liveCase(visitor).catch(() => null);
    if (!c) return;
    const targets = [rooms.supervisors(visitor.tenantId), c.assignee_id ? rooms.user(c.assignee_id) : c.skill_id ? rooms.skill(visitor.tenantId, c.skill_id) : null];
    this.namespace.server
      .of('/agents')
      .to(targets.filter((room): room is string => room !== null))
      .emit('typing', { type: 'typing', data: { caseId: c.id, typing, author: { type: 'contact' } }, at: new Date().toISOString() });
  }

  private errorBody(error: unknown, visitor: Visitor): ErrorBody {
    const body = toErrorBody(error);
    if (body.statusCode >= 500) this.logger.error({ err: error, channelId: visitor.channelId }, 'chat message not stored');
    return body;
  }
}
