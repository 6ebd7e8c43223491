import { join } from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsExclusively } from './migrations-lock';

@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions({ url: config.databaseUrl, pgliteDir: join(config.dataDir, 'pglite') }),
          // Migrations run at every start, before anything else touches the database; the same
          // files run on PGlite and PostgreSQL.
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            await runMigrationsExclusively(dataSource, { shared: config.databaseUrl !== undefined });
            return dataSource;
          },
        }),
      ],
    };
  }
}
