import { Client } from 'pg';
import type { EntityManager } from 'typeorm';

// A statement the server parses and plans once per connection (a named prepared statement)
// instead of on every call: the inbound batch runs the same few statements hundreds of times a
// second, and planning them cost about as much as running them. On PGlite (one in-process
// connection, nothing to save) and outside a connected query runner it is a plain query.
// `name` must be unique per statement text.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function preparedQuery<T = any>(m: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const client = (m.queryRunner as { databaseConnection?: unknown } | undefined)?.databaseConnection;
  if (client instanceof Client) return (await client.query<T & object>({ name, text, values })).rows;
  return m.query(text, values);
}
