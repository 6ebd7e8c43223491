import { join } from 'node:path';
import { Client, LocalAuth } from 'whatsapp-web.js';
import { createWwebjsClient, wwebjsClientId, wwebjsClientOptions } from './wwebjs-client.factory';

describe('whatsapp-web.js client options', () => {
  const config = { dataDir: '/var/lib/parley', wwebjs: { enabled: true, chromiumPath: '/usr/bin/chromium' } };

  it('keeps each channel paired in its own LocalAuth folder under DATA_DIR/wwebjs', async () => {
    const options = await wwebjsClientOptions('8a6f2c1e-3b4d-4e5f-9a0b-1c2d3e4f5a6b', config);
    expect(options.authStrategy).toBeInstanceOf(LocalAuth);
    expect(options.authStrategy).toMatchObject({ clientId: '8a6f2c1e-3b4d-4e5f-9a0b-1c2d3e4f5a6b', dataPath: join('/var/lib/parley', 'wwebjs') });
    expect(options.webVersionCache).toEqual({ type: 'local', path: join('/var/lib/parley', 'wwebjs', 'web-cache') });
  });

  it('runs the configured Chromium headless without the sandbox', async () => {
    const options = await wwebjsClientOptions('c1', { ...config, wwebjs: { enabled: true, chromiumPath: '/opt/chrome/chrome' } });
    expect(options.puppeteer).toEqual({ headless: true, executablePath: '/opt/chrome/chrome', args: ['--no-sandbox', '--disable-setuid-sandbox'] });
  });

  it('sanitises the client id to what LocalAuth accepts', async () => {
    expect(wwebjsClientId('tenant 42/channel:1')).toBe('tenant_42_channel_1');
    await expect(wwebjsClientOptions('tenant 42/channel:1', config)).resolves.toBeDefined();
  });

  it('builds the library Client from them without starting a browser', async () => {
    const options = await wwebjsClientOptions('c1', config);
    const client = await createWwebjsClient(options);
    expect(client).toBeInstanceOf(Client);
    expect((client as Client).pupBrowser).toBeNull();
    expect((client as unknown as { authStrategy: unknown }).authStrategy).toBe(options.authStrategy);
  });
});
