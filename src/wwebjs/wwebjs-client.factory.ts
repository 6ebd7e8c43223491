import { join } from 'node:path';
import type { ClientOptions } from 'whatsapp-web.js';
import type { WwebjsClient } from '../../channels/whatsapp/web/wwebjs-client.port';
import type { AppConfig } from '../config/app-config';

// Builds the whatsapp-web.js Client of one channel. A provider token, so that tests hand in a
// fake Client (an EventEmitter) at exactly the library's boundary and no Chromium starts.
export const WWEBJS_CLIENT_FACTORY = Symbol('WWEBJS_CLIENT_FACTORY');
export type WwebjsClientFactory = (options: ClientOptions) => WwebjsClient | Promise<WwebjsClient>;

// The library (and puppeteer behind it) is loaded on first use: servers that run no
// whatsapp-web.js channel never pay for it.
export const createWwebjsClient: WwebjsClientFactory = async (options) => {
  const { Client } = await import('whatsapp-web.js');
  return new Client(options);
};

// LocalAuth's clientId accepts [-_\w]+ only.
export const wwebjsClientId = (channelId: string): string => channelId.replace(/[^-_\w]/g, '_');

// One LocalAuth folder per channel under DATA_DIR/wwebjs, so a restart reuses the pairing; the
// system Chromium instead of puppeteer's download; --no-sandbox because containers run as root
// without user namespaces (providers.md §8).
export async function wwebjsClientOptions(channelId: string, config: Pick<AppConfig, 'dataDir' | 'wwebjs'>): Promise<ClientOptions> {
  const { LocalAuth } = await import('whatsapp-web.js');
  const dataPath = join(config.dataDir, 'wwebjs');
  return {
    authStrategy: new LocalAuth({ clientId: wwebjsClientId(channelId), dataPath }),
    puppeteer: { headless: true, executablePath: config.wwebjs.chromiumPath, args: ['--no-sandbox', '--disable-setuid-sandbox'] },
    // The WhatsApp Web build the library caches; its default is ./.wwebjs_cache in the working directory.
    webVersionCache: { type: 'local', path: join(dataPath, 'web-cache') },
  };
}
