import { io, type Socket } from 'socket.io-client';
import type { ChatMessage, Content, History, SendAck, Typing } from './protocol';

export interface ConnectionEvents {
  connected(): void;
  disconnected(): void;
  // The server refused the handshake: "unauthorized" (token expired or invalid), "forbidden"
  // (this page's origin is not allowed), "not_found" (channel gone or disabled).
  refused(reason: string): void;
  history(history: History): void;
  message(message: ChatMessage): void;
  typing(typing: Typing): void;
}

const ACK_TIMEOUT_MS = 15_000;

// The visitor's socket.io connection to /chat. socket.io reconnects by itself after network
// failures; each (re)connection is followed by the server's `history`.
export class ChatConnection {
  private readonly socket: Socket;

  constructor(baseUrl: string, token: string, events: ConnectionEvents) {
    const base = new URL(baseUrl);
    this.socket = io(`${base.origin}/chat`, {
      path: `${base.pathname.replace(/\/+$/, '')}/socket.io`,
      auth: { token },
      transports: ['websocket', 'polling'],
    });
    this.socket.on('connect', () => events.connected());
    this.socket.on('disconnect', () => events.disconnected());
    this.socket.on('connect_error', (error: Error) => {
      // A refusal by the server is final for this token; network errors are retried.
      if (!this.socket.active) events.refused(error.message);
    });
    this.socket.on('history', (history: History) => events.history(history));
    this.socket.on('message.created', (event: { message: ChatMessage }) => events.message(event.message));
    this.socket.on('typing', (typing: Typing) => events.typing(typing));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  // Rejects when not acknowledged in time (the message stays in the outbox for a resend).
  send(clientMessageId: string, content: Content): Promise<SendAck> {
    return this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('message.send', { clientMessageId, content }) as Promise<SendAck>;
  }

  typing(typing: boolean): void {
    if (this.socket.connected) this.socket.emit('typing', { typing });
  }

  receipt(messageId: string, status: 'delivered' | 'read'): void {
    if (this.socket.connected) this.socket.emit('message.status', { messageId, status });
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.close();
  }
}
