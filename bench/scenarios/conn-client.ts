import type { Socket } from 'socket.io-client';
import { serveStats, signalReady } from '../lib/child-side';
import { openAgentSockets } from '../lib/sockets';

// The connections scenario's client side, in its own process (its own file-descriptor limit,
// pinned to the load generator's core): opens agent sockets in waves on request.
const sockets: Socket[] = [];

process.on('message', (msg: any) => {
  if (msg?.type !== 'connect') return;
  const t0 = Date.now();
  openAgentSockets(msg.url, msg.tokens, msg.count, msg.parallel ?? 200).then(
    (r) => {
      sockets.push(...r.sockets);
      // Sockets that dropped since they connected (server closed them) count as failures too.
      const dropped = sockets.filter((s) => !s.connected).length;
      process.send!({ type: 'reply', id: msg.id, connected: r.sockets.length, failed: r.failed, firstError: r.firstError, total: sockets.length - dropped, dropped, ms: Date.now() - t0 });
    },
    (error: unknown) => process.send!({ type: 'reply', id: msg.id, connected: 0, failed: msg.count, firstError: String(error), total: sockets.length, dropped: 0, ms: Date.now() - t0 }),
  );
});

serveStats(async () => {
  for (const s of sockets) s.close();
});
signalReady(0);
