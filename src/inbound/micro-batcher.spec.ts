import { MicroBatcher } from './micro-batcher';

const ok = <T>(value: T): PromiseSettledResult<T> => ({ status: 'fulfilled', value });

function deferred(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

describe('MicroBatcher', () => {
  it('runs work submitted in the same turn of the event loop as one batch, each caller getting its own results', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      return items.map((i) => ok(i * 10));
    }, { maxBatch: 100, maxInFlight: 1 });
    const answers = await Promise.all([batcher.submit([1]), batcher.submit([2, 3]), batcher.submit([4])]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
    expect(answers).toEqual([[ok(10)], [ok(20), ok(30)], [ok(40)]]);
  });

  it('queues work behind a running batch and sends it as the next batch once a slot frees', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate.promise;
      return items.map(ok);
    }, { maxBatch: 100, maxInFlight: 1 });
    const first = batcher.submit([1]);
    await new Promise((r) => setImmediate(r));
    const later = [batcher.submit([2]), batcher.submit([3]), batcher.submit([4])];
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    expect(batcher.pending).toBe(3);
    gate.release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('runs up to maxInFlight batches at once and never splits a group', async () => {
    let running = 0;
    let most = 0;
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return items.map(ok);
    }, { maxBatch: 3, maxInFlight: 2 });
    await Promise.all([batcher.submit([1, 2]), batcher.submit([3, 4]), batcher.submit([5]), batcher.submit([6, 7, 8, 9])]);
    expect(most).toBe(2);
    // [1,2] + [3,4] would exceed 3: the group waits for the next batch; a group larger than the
    // limit goes alone.
    expect(batches).toEqual([[1, 2], [3, 4, 5], [6, 7, 8, 9]]);
  });

  it('rejects every caller of a batch whose runner throws, and keeps serving later work', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>(async (items) => {
      if (fail) throw new Error('database gone');
      return items.map(ok);
    }, { maxBatch: 10, maxInFlight: 1 });
    const results = await Promise.allSettled([batcher.submit([1]), batcher.submit([2])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.submit([3])).resolves.toEqual([ok(3)]);
  });

  it('passes per-item failures through to their own callers only', async () => {
    const batcher = new MicroBatcher<number, number>(async (items) => items.map((i) => (i === 2 ? { status: 'rejected' as const, reason: new Error('bad item') } : ok(i))), {
      maxBatch: 10,
      maxInFlight: 1,
    });
    const [a, b] = await Promise.all([batcher.submit([1]), batcher.submit([2])]);
    expect(a).toEqual([ok(1)]);
    expect(b[0]!.status).toBe('rejected');
  });
});
