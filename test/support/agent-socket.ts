import { io, type Socket } from 'socket.io-client';

export interface ReceivedEvent {
  seq: number;
  type: string;
  data: any;
  at: string;
}

const TYPES = ['case.created', 'case.updated', 'message.created', 'message.updated', 'agent.state'];

// An agent's realtime connection that records every event it receives.
export class AgentSocket {
  readonly events: ReceivedEvent[] = [];
  readonly socket: Socket;

  constructor(baseUrl: string, token: string) {
    this.socket = io(`${baseUrl}/agents`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    for (const type of TYPES) this.socket.on(type, (e: ReceivedEvent) => this.events.push(e));
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (err) => reject(err));
    });
  }

  close(): void {
    this.socket.close();
  }

  of(type: string): ReceivedEvent[] {
    return this.events.filter((e) => e.type === type);
  }
}
