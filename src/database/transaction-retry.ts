import { isConcurrencyFailure } from './pg-errors';

export interface RetryOptions {
  attempts?: number;
  // Also retried: a failure the caller knows to be a lost race (a unique key the winner took).
  retryable?: (error: unknown) => boolean;
}

// Runs a whole transaction again when PostgreSQL aborted it as the loser of a concurrency
// conflict (see isConcurrencyFailure), after a short random pause so that the same two do not
// collide again. `transaction` must be all of it: nothing it did survives the abort, and work
// meant for after the commit is collected anew on each attempt. The last failure is thrown.
export async function retryTransaction<T>(transaction: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      const retryable = isConcurrencyFailure(error) || (options.retryable?.(error) ?? false);
      if (!retryable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
