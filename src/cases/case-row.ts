import type { CaseEntity } from './case.entity';

// snake_case column → camelCase property, computed once per column name (this runs for every
// row an inbound batch locks).
const PROPERTY = new Map<string, string>();

function propertyOf(column: string): string {
  let name = PROPERTY.get(column);
  if (name === undefined) {
    name = column.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
    PROPERTY.set(column, name);
  }
  return name;
}

// Raw rows (SELECT c.* / RETURNING *) are snake_case; entities camelCase. The driver has already
// typed the values (timestamptz → Date, jsonb → objects), on PostgreSQL and PGlite alike.
export function caseFromRow(row: Record<string, unknown>): CaseEntity {
  const out: Record<string, unknown> = {};
  for (const k in row) out[propertyOf(k)] = row[k];
  return out as unknown as CaseEntity;
}
