import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'parley-config-'));

  it('applies the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({ port: 3000, publicUrl: 'http://localhost:3000', smtpPort: 2525, maxBodyBytes: 1048576 });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.secretsKey).toHaveLength(32);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PUBLIC_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://x'],
    ['SECRETS_KEY', 'c2hvcnQ='],
    ['MAX_BODY_BYTES', '-1'],
    ['ADMIN_EMAIL', 'nobody'],
    ['WWEBJS_ENABLED', 'maybe'],
  ])('stops the start on a bad %s, naming it', (name, value) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('generates SECRETS_KEY once into DATA_DIR and reuses it', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.secretsKey.equals(first.secretsKey)).toBe(true);
    expect(Buffer.from(readFileSync(join(dir, 'secrets.key'), 'utf8').trim(), 'base64')).toEqual(first.secretsKey);
  });

  it('reads the web chat upload limits, and refuses a malformed type list', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).chat).toEqual({
      sessionTtlSeconds: 30 * 24 * 3600,
      uploadMaxBytes: 10 * 1024 * 1024,
      uploadTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'],
    });
    expect(loadConfig({ DATA_DIR: dataDir(), CHAT_UPLOAD_TYPES: ' Image/*, application/pdf ', CHAT_UPLOAD_MAX_BYTES: '2048' }).chat).toMatchObject({ uploadMaxBytes: 2048, uploadTypes: ['image/*', 'application/pdf'] });
    expect(() => loadConfig({ DATA_DIR: dataDir(), CHAT_UPLOAD_TYPES: 'images' })).toThrow(/CHAT_UPLOAD_TYPES/);
  });

  it('keeps whatsapp-web.js off by default, with Chromium at /usr/bin/chromium', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).wwebjs).toEqual({ enabled: false, chromiumPath: '/usr/bin/chromium' });
    expect(loadConfig({ DATA_DIR: dataDir(), WWEBJS_ENABLED: 'true', CHROMIUM_PATH: '/opt/chromium/chrome' }).wwebjs).toEqual({ enabled: true, chromiumPath: '/opt/chromium/chrome' });
    expect(loadConfig({ DATA_DIR: dataDir(), WWEBJS_ENABLED: '0' }).wwebjs.enabled).toBe(false);
  });

  it('strips a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://inbox.example.com/' }).publicUrl).toBe('https://inbox.example.com');
  });
});
