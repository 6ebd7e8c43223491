import { setTimeout as delay } from 'node:timers/promises';
import { TEARDOWN_MS, within } from './cleanup';

// Loops a test runs beside its main line (agents working their offers, a watcher sampling
// loads), on one stop flag: a loop ends after its current step (every request has its own
// time limit, see Http), and the first failure of any loop stops them all, so the main line
// fails at its next `check()` instead of waiting for something the failed loop will never do.
// Requests in flight are not aborted: undici may have opened a connection for one and then
// keep it, silent, in its pool; the server's close() would wait for it (up to headersTimeout).
export class BackgroundLoops {
  private readonly controller = new AbortController();
  private readonly running: Array<Promise<void>> = [];
  private failure: Error | null = null;

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  // Runs `step`, then pauses `pauseMs`, until stopped.
  loop(name: string, step: () => Promise<void>, pauseMs: number): void {
    this.running.push(
      (async () => {
        while (!this.stopped) {
          try {
            await step();
          } catch (error) {
            this.fail(name, error);
            return;
          }
          // Stopping cuts the pause short.
          await delay(pauseMs, undefined, { signal: this.controller.signal }).catch(() => undefined);
        }
      })(),
    );
  }

  // Throws the first failure of any loop.
  check(): void {
    if (this.failure) throw this.failure;
  }

  // Stops every loop and waits for them to end (bounded), then throws the first failure.
  async stop(ms = TEARDOWN_MS): Promise<void> {
    this.controller.abort();
    await within(Promise.all(this.running), ms, 'background loops to stop');
    this.check();
  }

  private fail(name: string, error: unknown): void {
    this.failure ??= new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    this.controller.abort();
  }
}
