import { monitorEventLoopDelay } from 'node:perf_hooks';

// Inside a server child: answers the bench's `stats` requests over IPC and stops on `stop`.
export function serveStats(onStop: () => Promise<void>): void {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  process.on('message', (msg: any) => {
    if (msg?.type === 'stats') {
      if (msg.gc && typeof (globalThis as any).gc === 'function') {
        (globalThis as any).gc();
        (globalThis as any).gc();
      }
      const cpu = process.cpuUsage();
      const mem = process.memoryUsage();
      const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
      const stats = {
        cpuMs: (cpu.user + cpu.system) / 1000,
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        heapTotal: mem.heapTotal,
        external: mem.external,
        eld: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max), mean: ms(eld.mean) },
      };
      if (msg.resetEld) eld.reset();
      process.send!({ type: 'stats', id: msg.id, stats });
    } else if (msg?.type === 'stop') {
      onStop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  });
  process.on('disconnect', () => {
    onStop().finally(() => process.exit(0));
  });
}

export function signalReady(port: number): void {
  process.send?.({ type: 'ready', port });
}
