// Tests that start servers, apps, sockets or loops must stop them whatever fails: a handle left
// open keeps the test process alive, and CI hangs instead of failing. Every wait here is bounded.

// How long one teardown step (closing an app, a server, stopping loops) may take.
export const TEARDOWN_MS = 30_000;

// `promise`, or a failure naming `label` once `ms` have passed.
export async function within<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type TeardownStep = [label: string, step: () => unknown];

// Runs every step, in order, each within `ms`, even when an earlier one failed (or found
// nothing to stop: steps skip what was never started); then throws what failed, together.
export async function tearDown(steps: TeardownStep[], ms = TEARDOWN_MS): Promise<void> {
  const failures: Error[] = [];
  for (const [label, step] of steps) {
    try {
      await within(Promise.resolve().then(step), ms, label);
    } catch (error) {
      failures.push(error instanceof Error ? error : new Error(`${label}: ${String(error)}`));
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `teardown: ${failures.map((f) => f.message).join('; ')}`);
}

// What a test registers as it creates things, undone in reverse order.
export class Cleanup {
  private readonly steps: TeardownStep[] = [];

  add(label: string, step: () => unknown): void {
    this.steps.unshift([label, step]);
  }

  run(ms = TEARDOWN_MS): Promise<void> {
    return tearDown(this.steps.splice(0), ms);
  }
}

// try/finally with a Cleanup: `body` registers a step for everything it starts, right after
// starting it; whatever `body` does, every step runs. The body's own failure is the one
// thrown; a teardown failure after it is only printed (thrown, it would hide the cause).
export async function withCleanup<T>(body: (cleanup: Cleanup) => Promise<T>, ms = TEARDOWN_MS): Promise<T> {
  const cleanup = new Cleanup();
  let result: T;
  try {
    result = await body(cleanup);
  } catch (error) {
    await cleanup.run(ms).catch((teardown: Error) => process.stderr.write(`teardown after a failed test also failed: ${teardown.message}\n`));
    throw error;
  }
  await cleanup.run(ms);
  return result;
}
