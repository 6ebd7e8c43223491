import { z } from 'zod';
import { CHANNEL_CAPABILITIES } from '../../src/content/channel-capabilities';
import type { ChannelDefinition } from '../channel-adapter.port';
import { apiBaseUrl, requiredString, strictConfig } from '../channel-config.schema';

// Browsers send `Origin` as scheme://host[:port] with no path or trailing slash, and it is compared
// as a string, so an entry must be exactly that form to ever match.
// https://developer.mozilla.org/docs/Web/HTTP/Reference/Headers/Origin
const origin = requiredString(2048).refine(isOrigin, {
  message: 'Must be an origin like https://shop.example.com (scheme, host and port only, no path)',
});

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

// The embeddable web chat widget. Unset or empty `allowedOrigins`: any origin (API.md §9).
export const chatConfigSchema = strictConfig({
  allowedOrigins: z.array(origin).max(100, 'At most 100 origins').optional(),
  apiBaseUrl: apiBaseUrl(),
});

export type ChatConfig = z.infer<typeof chatConfigSchema>;

export const chatDefinition: ChannelDefinition<ChatConfig> = {
  kind: 'chat',
  configSchema: chatConfigSchema,
  secretFields: [],
  capabilities: () => CHANNEL_CAPABILITIES.chat,
};
