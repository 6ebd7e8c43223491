import type { CaseEntity } from './case.entity';

// Raw rows (SELECT c.* / RETURNING *) are snake_case; entities camelCase. The driver has already
// typed the values (timestamptz → Date, jsonb → objects), on PostgreSQL and PGlite alike.
export function caseFromRow(row: Record<string, unknown>): CaseEntity {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase())] = v;
  return out as unknown as CaseEntity;
}
