import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { BackgroundLoops } from './support/background-loops';
import { waitFor } from './support/byoc-integrator';
import { tearDown, withCleanup } from './support/cleanup';
import { Http, startApp, type TestApp } from './support/test-app';

// The suites' own safety: a test that fails anywhere stops what it started (apps, loops) and
// never waits forever, so a failure ends the run instead of hanging it (CI).
describe('Test teardown', () => {
  it('stops the background loops and closes the app when the body fails before its wait', async () => {
    let app: TestApp | undefined;
    let loops: BackgroundLoops | undefined;
    let polls = 0;
    const failure = new Error('the webhook check failed');
    const run = withCleanup(async (cleanup) => {
      app = await startApp();
      cleanup.add('stop the app', () => app!.stop());
      loops = new BackgroundLoops();
      cleanup.add('stop the loops', () => loops!.stop());
      const http = app.http;
      loops.loop('poller', async () => {
        polls++;
        await http.get('/health');
      }, 10);
      await waitFor(() => polls > 2, 10_000, 'the poller running');
      throw failure;
    });
    await expect(run).rejects.toBe(failure);
    expect(loops!.stopped).toBe(true);
    // Every loop has ended: stopping again has nothing left to wait for.
    await loops!.stop(1);
    await expect(fetch(`${app!.url}/health`)).rejects.toThrow();
  });

  it('fails the main line as soon as one loop fails, and stops the others', async () => {
    const loops = new BackgroundLoops();
    loops.loop('agent', async () => {
      throw new Error('accept: 500');
    }, 10);
    loops.loop('watcher', () => delay(10), 10);
    await expect(waitFor(() => {
      loops.check();
      return false;
    }, 60_000, 'something the failed agent would have done')).rejects.toThrow('agent: accept: 500');
    expect(loops.stopped).toBe(true);
    // stop() waits for every loop to end, then reports the agent's failure.
    await expect(loops.stop(5_000)).rejects.toThrow('agent: accept: 500');
  });

  it('runs every teardown step, each bounded, and reports all that failed', async () => {
    const ran: string[] = [];
    const teardown = tearDown([
      ['a step that never ends', () => new Promise(() => undefined)],
      ['a step that throws', () => {
        throw new Error('socket already closed');
      }],
      ['a step after both', () => ran.push('after both')],
    ], 200);
    await expect(teardown).rejects.toThrow(/a step that never ends: not done within 200 ms; socket already closed/);
    expect(ran).toEqual(['after both']);
  });

  it('gives up on a request the server never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const http = new Http(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
      await expect(http.request('GET', '/never', { timeoutMs: 200 })).rejects.toThrow('GET /never: no answer within 200 ms');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
