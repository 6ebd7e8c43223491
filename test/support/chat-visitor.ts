import { io, type Socket } from 'socket.io-client';
import { waitFor } from './byoc-integrator';
import type { Http } from './test-app';

// A web chat visitor as the widget is one: a session token from HTTP, then socket.io /chat.
// Records what the server pushes.
export class ChatVisitor {
  readonly created: any[] = [];
  readonly typing: any[] = [];
  readonly histories: any[] = [];
  socket: Socket | null = null;

  constructor(
    readonly baseUrl: string,
    readonly token: string,
    readonly origin?: string,
  ) {}

  static async start(http: Http, channelId: string, body: Record<string, unknown> = {}, origin?: string): Promise<ChatVisitor> {
    const res = await http.post(`/api/v1/chat/${channelId}/sessions`, body, undefined, origin ? { origin } : undefined);
    if (res.status !== 201) throw new Error(`session failed: ${res.status} ${res.text}`);
    return new ChatVisitor(http.baseUrl, res.body.visitorToken, origin);
  }

  // Resolves once connected (and the history pushed on connect arrived); rejects with the
  // connect_error.
  async connect(): Promise<this> {
    const before = this.histories.length;
    const socket = io(`${this.baseUrl}/chat`, {
      auth: { token: this.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(this.origin ? { extraHeaders: { origin: this.origin } } : {}),
    });
    this.socket = socket;
    socket.on('message.created', (e: any) => this.created.push(e.message));
    socket.on('typing', (e: any) => this.typing.push(e));
    socket.on('history', (e: any) => this.histories.push(e));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
    await waitFor(() => this.histories.length > before, 10_000, 'history on connect');
    return this;
  }

  get history(): any {
    return this.histories[this.histories.length - 1];
  }

  send(clientMessageId: string, content: unknown): Promise<any> {
    return this.emit('message.send', { clientMessageId, content });
  }

  emit(event: string, body: unknown): Promise<any> {
    return this.socket!.timeout(15_000).emitWithAck(event, body);
  }

  disconnect(): void {
    this.socket?.close();
    this.socket = null;
  }
}

// A connection attempt expected to fail: the connect_error's message.
export async function connectError(baseUrl: string, token: unknown, origin?: string): Promise<string> {
  const socket = io(`${baseUrl}/chat`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(origin ? { extraHeaders: { origin } } : {}),
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      socket.once('connect', () => reject(new Error('connected, but a refusal was expected')));
      socket.once('connect_error', (err) => resolve(err.message));
    });
  } finally {
    socket.close();
  }
}
