import { join } from 'node:path';
import { type BenchContext, row } from '../lib/context';
import { createAgents, setupParley, startParley } from '../lib/parley';
import { hardNofile, spawnServer } from '../lib/server-process';
import { log, round, slope, sleep } from '../lib/util';

// Agent connections in waves up to the target or the first failure: memory per connection (heap
// after a full GC and RSS, as the least-squares slope over the waves) and event-loop delay in
// the server while each wave connects.

interface Wave {
  connections: number;
  waveSeconds: number;
  heapUsedMb: number;
  rssMb: number;
  eldP99Ms: number;
  eldMaxMs: number;
  failed: number;
}

export async function runConnections(ctx: BenchContext): Promise<void> {
  const waveSize = ctx.quick ? 500 : 1000;
  const wanted = ctx.quick ? 2000 : 20_000;
  // Each side holds one descriptor per connection; stay under the hard limit we cannot raise.
  const fdLimit = hardNofile();
  const target = Math.min(wanted, Math.floor((fdLimit - 300) / waveSize) * waveSize);
  const limitedBy = target < wanted ? `ulimit -n hard limit ${fdLimit}` : null;
  if (limitedBy) log(`connections: target lowered from ${wanted} to ${target} (${limitedBy})`);

  const db = await ctx.cluster.createDatabase('bench_connections');
  const server = await startParley('parley-connections', db, { nodeArgs: ['--expose-gc'] });
  const client = await spawnServer({ name: 'conn-client', script: join(__dirname, 'conn-client.js'), core: 1, env: {}, nodeArgs: ['--max-old-space-size=8192'] });
  try {
    const setup = await setupParley(server);
    const tokens = await createAgents(setup, 10, () => setup.skillId, 'conn');
    const waves: Wave[] = [];
    const s0 = await server.stats({ gc: true, resetEld: true });
    waves.push({ connections: 0, waveSeconds: 0, heapUsedMb: mb(s0.heapUsed), rssMb: mb(s0.rss), eldP99Ms: 0, eldMaxMs: 0, failed: 0 });
    let total = 0;
    let firstError: string | null = null;
    while (total < target) {
      await server.stats({ resetEld: true });
      const r = await client.request<{ connected: number; failed: number; firstError: string | null; total: number; dropped: number; ms: number }>({ type: 'connect', url: server.url, tokens, count: waveSize });
      await sleep(1000);
      const eld = await server.stats();
      const s = await server.stats({ gc: true });
      total = r.total;
      const wave: Wave = { connections: total, waveSeconds: round(r.ms / 1000, 2), heapUsedMb: mb(s.heapUsed), rssMb: mb(s.rss), eldP99Ms: round(eld.eld.p99, 2), eldMaxMs: round(eld.eld.max, 2), failed: r.failed + r.dropped };
      waves.push(wave);
      log(`connections: ${total} open (wave ${wave.waveSeconds} s), heap ${wave.heapUsedMb} MB, rss ${wave.rssMb} MB, loop delay p99 ${wave.eldP99Ms} ms${wave.failed ? `, ${wave.failed} failed: ${r.firstError}` : ''}`);
      if (wave.failed) {
        firstError = r.firstError ?? 'dropped';
        break;
      }
    }
    const ok = waves.filter((w) => w.failed === 0);
    const heapPerConn = slope(ok.map((w) => w.connections), ok.map((w) => w.heapUsedMb * 1024 * 1024));
    const rssPerConn = slope(ok.map((w) => w.connections), ok.map((w) => w.rssMb * 1024 * 1024));
    const worstEld = Math.max(...waves.map((w) => w.eldP99Ms));
    ctx.results.connections = { waveSize, target, limitedBy, reached: total, firstError, heapBytesPerConnection: heapPerConn && Math.round(heapPerConn), rssBytesPerConnection: rssPerConn && Math.round(rssPerConn), waves };
    row(ctx, 'connections', `agent sockets held (target ${target}${limitedBy ? `, ${limitedBy}` : ''})`, `${total}${firstError ? ` (failed: ${firstError})` : ''}`);
    row(ctx, 'connections', 'memory per connection: heap / RSS (KiB)', `${heapPerConn === null ? 'n/a' : round(heapPerConn / 1024, 1)} / ${rssPerConn === null ? 'n/a' : round(rssPerConn / 1024, 1)}`);
    row(ctx, 'connections', 'event-loop delay p99 during waves: worst / last (ms)', `${worstEld} / ${waves[waves.length - 1]!.eldP99Ms}`);
    setup.agent.destroy();
  } finally {
    await client.stop();
    await server.stop();
  }
}

function mb(bytes: number): number {
  return round(bytes / 1024 / 1024, 2);
}
