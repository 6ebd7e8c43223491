import { z } from 'zod';
import { CHANNEL_CAPABILITIES } from '../../src/content/channel-capabilities';
import type { ChannelDefinition } from '../channel-adapter.port';
import { apiBaseUrl, secretString, strictConfig } from '../channel-config.schema';

// Telegram Bot API. The token sits in the URL path (`/bot<token>/sendMessage`), so it can hold no
// whitespace or slash. https://core.telegram.org/bots/api#making-requests
export const telegramConfigSchema = strictConfig({
  botToken: secretString(256).regex(/^[^\s/]+$/, 'Must be the token from @BotFather, e.g. 123456:ABC-DEF…'),
  // Echoed in X-Telegram-Bot-Api-Secret-Token; Telegram's own rule for setWebhook's secret_token:
  // "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed".
  // https://core.telegram.org/bots/api#setwebhook
  secretToken: secretString(256).regex(/^[A-Za-z0-9_-]+$/, 'Only A-Z, a-z, 0-9, _ and - are allowed'),
  apiBaseUrl: apiBaseUrl(),
});

export type TelegramConfig = z.infer<typeof telegramConfigSchema>;

export const telegramDefinition: ChannelDefinition<TelegramConfig> = {
  kind: 'telegram',
  configSchema: telegramConfigSchema,
  secretFields: ['botToken', 'secretToken'],
  capabilities: () => CHANNEL_CAPABILITIES.telegram,
};
