// PostgreSQL SQLSTATE codes we act on (same on PGlite).

// TypeORM's QueryFailedError copies the driver error's fields; some paths keep it nested.
function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null | undefined;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (sqlState(error) !== '23505') return false;
  if (!constraint) return true;
  const e = error as { constraint?: string; driverError?: { constraint?: string } };
  const name = e.constraint ?? e.driverError?.constraint;
  return name === undefined || name === constraint;
}

// The transaction lost a race that PostgreSQL settles by aborting one side: deadlock_detected
// (40P01) or serialization_failure (40001). It changed nothing, so running it again is safe
// and then sees what the winner committed.
export function isConcurrencyFailure(error: unknown): boolean {
  const code = sqlState(error);
  return code === '40P01' || code === '40001';
}

// TypeORM's postgres `query()` answers UPDATE/DELETE … RETURNING with [rows, rowCount] and
// everything else with rows.
export function returnedRows<T>(result: T[] | [T[], number]): T[] {
  return Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}
