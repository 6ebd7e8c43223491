import type { DataSource } from 'typeorm';

// An arbitrary constant shared by every Parley process: "parley:migrations" as a 64-bit key.
const MIGRATIONS_LOCK_KEY = '7094384519523057013';

// Several instances starting at once on one PostgreSQL would each see the same pending
// migrations and run them concurrently (the second fails on "relation already exists", or
// worse, half-applies). A session-level advisory lock, held on its own connection, lets one
// instance migrate while the others wait, then find nothing left to run. PGlite is embedded in
// one process, so it needs no lock.
export async function runMigrationsExclusively(dataSource: DataSource, options: { shared: boolean }): Promise<void> {
  if (!options.shared) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    // Releasing the connection would also drop the lock only if the pool closed it; unlock
    // explicitly so the connection goes back to the pool clean.
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}
