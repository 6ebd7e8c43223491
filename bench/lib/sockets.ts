import { io, type Socket } from 'socket.io-client';

// Opens agent sockets to /agents, `parallel` handshakes at a time.
export async function openAgentSockets(url: string, tokens: string[], count: number, parallel = 100, onSocket?: (s: Socket, i: number) => void): Promise<{ sockets: Socket[]; failed: number; firstError: string | null }> {
  const sockets: Socket[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const socket = io(`${url}/agents`, { auth: { token: tokens[i % tokens.length] }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000 });
      onSocket?.(socket, i);
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', (err) => reject(err));
        });
        sockets.push(socket);
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
        socket.close();
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { sockets, failed, firstError };
}
