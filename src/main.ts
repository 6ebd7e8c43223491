import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  process.stdout.write(`Parley listening on ${config.publicUrl} (docs at ${config.publicUrl}/docs, database: ${config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'})\n`);
}

void main();
