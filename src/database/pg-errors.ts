// PostgreSQL SQLSTATE codes we act on (same on PGlite).
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.code ?? e?.driverError?.code;
  if (code !== '23505') return false;
  if (!constraint) return true;
  const name = e.constraint ?? e.driverError?.constraint;
  return name === undefined || name === constraint;
}

// TypeORM's postgres `query()` answers UPDATE/DELETE … RETURNING with [rows, rowCount] and
// everything else with rows.
export function returnedRows<T>(result: T[] | [T[], number]): T[] {
  return Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}
