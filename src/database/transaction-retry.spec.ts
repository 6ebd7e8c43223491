import { QueryFailedError } from 'typeorm';
import { isConcurrencyFailure, isUniqueViolation } from './pg-errors';
import { retryTransaction } from './transaction-retry';

// What the pg driver rejects with, wrapped by TypeORM as every query failure is.
function pgError(code: string, fields: Record<string, unknown> = {}): QueryFailedError {
  return new QueryFailedError('UPDATE tenants …', [], Object.assign(new Error(`SQLSTATE ${code}`), { code, ...fields }));
}

describe('retryTransaction', () => {
  it('runs a transaction PostgreSQL aborted as a deadlock or serialization loser again', async () => {
    const failures = [pgError('40P01'), pgError('40001')];
    let runs = 0;
    const result = await retryTransaction(async () => {
      runs++;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'committed';
    });
    expect(result).toBe('committed');
    expect(runs).toBe(3);
  });

  it('gives up after the last attempt with the database error', async () => {
    let runs = 0;
    const lost = retryTransaction(async () => {
      runs++;
      throw pgError('40P01');
    }, { attempts: 2 });
    await expect(lost).rejects.toMatchObject({ code: '40P01' });
    expect(runs).toBe(2);
  });

  it('never runs again on other failures, unless the caller names them', async () => {
    let runs = 0;
    const unique = pgError('23505', { constraint: 'uq_case_assignments_open' });
    await expect(retryTransaction(async () => {
      runs++;
      throw unique;
    })).rejects.toBe(unique);
    expect(runs).toBe(1);

    runs = 0;
    await expect(retryTransaction(async () => {
      runs++;
      if (runs === 1) throw unique;
      return runs;
    }, { retryable: (error) => isUniqueViolation(error, 'uq_case_assignments_open') })).resolves.toBe(2);
  });
});

describe('isConcurrencyFailure', () => {
  it('recognises deadlocks and serialization failures only', () => {
    expect(isConcurrencyFailure(pgError('40P01'))).toBe(true);
    expect(isConcurrencyFailure(pgError('40001'))).toBe(true);
    expect(isConcurrencyFailure(pgError('23505'))).toBe(false);
    expect(isConcurrencyFailure(new Error('boom'))).toBe(false);
  });
});
