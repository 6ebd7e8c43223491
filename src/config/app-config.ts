import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

// The environment is read and validated once, at boot. A bad value stops the start with a message
// naming the variable (API.md §1).

const port = z.coerce.number().int().min(0).max(65535);
const envSchema = z.object({
  PORT: port.default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  PLATFORM_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SECRETS_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(12 * 3600),
  SMTP_PORT: port.default(2525),
  // Largest mail the SMTP listener accepts (advertised with SIZE; 552 above) and IMAP imports.
  SMTP_MAX_BYTES: z.coerce.number().int().min(1024).default(25 * 1024 * 1024),
  // IMAP: how often a mailbox is checked when its server has no IDLE, and how soon a new or
  // changed IMAP channel is picked up.
  IMAP_POLL_MS: z.coerce.number().int().min(50).default(60_000),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1048576),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Outbound worker: how often it polls the queue when idle, and how many attempts before `failed`.
  OUTBOUND_POLL_MS: z.coerce.number().int().positive().default(500),
  OUTBOUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  OUTBOUND_BASE_DELAY_MS: z.coerce.number().int().positive().default(2000),
  EVENTS_RETENTION_HOURS: z.coerce.number().int().min(24).default(72),
  // whatsapp-web.js drives WhatsApp Web in a local Chromium; off unless asked for, since WhatsApp
  // may ban unofficial clients (providers.md §8).
  WWEBJS_ENABLED: z.stringbool().default(false),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  // Largest media file Parley stores (inbound attachments, uploads).
  MEDIA_MAX_BYTES: z.coerce.number().int().positive().default(25 * 1024 * 1024),
  // Web chat: how long a visitor token (and so the conversation it restores) lives, and what the
  // widget may upload.
  CHAT_SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(30 * 24 * 3600),
  CHAT_UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  CHAT_UPLOAD_TYPES: z
    .string()
    .default('image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain')
    .transform((v) => v.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\w.+-]+\/([\w.+-]+|\*)$/, 'must be a comma-separated list of MIME types (type/subtype or type/*)')).min(1)),
});

export interface AppConfig {
  port: number;
  publicUrl: string;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  adminEmail?: string;
  adminPassword?: string;
  platformToken?: string;
  secretsKey: Buffer;
  jwtSecret: string;
  jwtTtlSeconds: number;
  smtpPort: number;
  smtpMaxBytes: number;
  imapPollMs: number;
  maxBodyBytes: number;
  logLevel: string;
  outbound: { pollMs: number; maxAttempts: number; baseDelayMs: number };
  eventsRetentionHours: number;
  // Sessions are kept under `${dataDir}/wwebjs`.
  wwebjs: { enabled: boolean; chromiumPath: string };
  mediaMaxBytes: number;
  chat: { sessionTtlSeconds: number; uploadMaxBytes: number; uploadTypes: string[] };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings mean "unset" (docker-compose and .env files often leave them blank).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return {
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir,
    redisUrl: e.REDIS_URL,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    platformToken: e.PLATFORM_TOKEN,
    secretsKey: e.SECRETS_KEY ? Buffer.from(e.SECRETS_KEY, 'base64') : persistedKey(dataDir, 'secrets.key'),
    jwtSecret: e.JWT_SECRET ?? persistedKey(dataDir, 'jwt.key').toString('base64'),
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    smtpPort: e.SMTP_PORT,
    smtpMaxBytes: e.SMTP_MAX_BYTES,
    imapPollMs: e.IMAP_POLL_MS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    logLevel: e.LOG_LEVEL,
    outbound: {
      pollMs: e.OUTBOUND_POLL_MS,
      maxAttempts: e.OUTBOUND_MAX_ATTEMPTS,
      baseDelayMs: e.OUTBOUND_BASE_DELAY_MS,
    },
    eventsRetentionHours: e.EVENTS_RETENTION_HOURS,
    wwebjs: { enabled: e.WWEBJS_ENABLED, chromiumPath: e.CHROMIUM_PATH },
    mediaMaxBytes: e.MEDIA_MAX_BYTES,
    chat: { sessionTtlSeconds: e.CHAT_SESSION_TTL_SECONDS, uploadMaxBytes: e.CHAT_UPLOAD_MAX_BYTES, uploadTypes: e.CHAT_UPLOAD_TYPES },
  };
}

// Keys not given in the environment are generated once and kept in DATA_DIR, so that a restart
// can still decrypt stored secrets and verify issued tokens.
function persistedKey(dataDir: string, name: string): Buffer {
  const file = join(dataDir, name);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  return key;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
