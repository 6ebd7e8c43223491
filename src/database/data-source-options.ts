import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { ENTITIES } from './entities';
import { createPgliteDriver } from './pglite-driver';

export interface DatabaseSettings {
  // postgres://… ; unset → embedded PGlite.
  url?: string;
  // PGlite directory; unset with no url → in memory.
  pgliteDir?: string;
  poolSize?: number;
}

// Migrations are compiled next to this file's build output (dist/migrations) or loaded from
// TypeScript sources under ts-jest/swc.
const MIGRATIONS = [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')];

export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL ≥ 13 and PGlite: no extension to install.
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
  };
  if (settings.url) {
    return { ...common, url: settings.url, poolSize: settings.poolSize ?? 10, extra: { max: settings.poolSize ?? 10 } };
  }
  return { ...common, driver: createPgliteDriver({ dataDir: settings.pgliteDir }) };
}
