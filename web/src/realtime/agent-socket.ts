import { io, type Socket } from 'socket.io-client';
import { EVENT_TYPES, type ParleyEvent, type TypingEvent } from '../api/api.types';

export interface AgentSocketHandlers {
  onEvent: (event: ParleyEvent) => void;
  onTyping: (event: TypingEvent) => void;
  // Every successful connection, the first one included.
  onConnect: () => void;
  onDisconnect: () => void;
  onUnauthorized: () => void;
}

const TYPING_ACK_MS = 10_000;

// The agent's socket.io connection (API.md §8). socket.io-client retries with backoff by itself;
// what the connection missed meanwhile is fetched by the caller on `onConnect`.
export class AgentSocket {
  private readonly socket: Socket;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private readonly wake = () => {
    // Back online: try now rather than at the end of the current backoff delay.
    if (!this.socket.connected) this.socket.connect();
  };

  constructor(token: string, handlers: AgentSocketHandlers) {
    // WebSocket only: no HTTP long-polling, so several servers behind a load balancer need no
    // sticky sessions (the Redis adapter fans events out).
    this.socket = io('/agents', {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket.on('connect', () => handlers.onConnect());
    this.socket.on('disconnect', (reason) => {
      handlers.onDisconnect();
      // The server closed it (a deploy, a kick): socket.io does not retry that case by itself.
      if (reason === 'io server disconnect') this.socket.connect();
    });
    this.socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') handlers.onUnauthorized();
      // Refused by the server's middleware (e.g. database unavailable): socket.io gives up on
      // those, we do not.
      else if (!this.socket.active) this.retry = setTimeout(() => this.socket.connect(), 2000);
    });
    for (const type of EVENT_TYPES) this.socket.on(type, (event: ParleyEvent) => handlers.onEvent(event));
    this.socket.on('typing', (event: TypingEvent) => handlers.onTyping(event));
    window.addEventListener('online', this.wake);
  }

  // Shows the agent typing (or no longer) to the case's customer. Resolves whether the case's
  // channel shows it; null when that is not known (offline, no answer, an error).
  typing(caseId: string, typing: boolean): Promise<boolean | null> {
    if (!this.socket.connected) return Promise.resolve(null);
    return this.socket
      .timeout(TYPING_ACK_MS)
      .emitWithAck('typing', { caseId, typing })
      .then(
        (ack: { shown?: unknown }) => (typeof ack?.shown === 'boolean' ? ack.shown : null),
        () => null,
      );
  }

  close(): void {
    clearTimeout(this.retry);
    window.removeEventListener('online', this.wake);
    this.socket.removeAllListeners();
    this.socket.close();
  }
}
