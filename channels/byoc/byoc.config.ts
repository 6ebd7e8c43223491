import { z } from 'zod';
import { byocCapabilities } from '../../src/content/channel-capabilities';
import type { ContentElement } from '../../src/content/capabilities.types';
import type { ChannelDefinition } from '../channel-adapter.port';
import { apiBaseUrl, httpUrl, secretString, strictConfig } from '../channel-config.schema';

// The Content keys an integrator may declare as rendered natively (API.md §5). `template` is a
// WhatsApp concept with no meaning here; `text` is always rendered and accepted as a no-op.
export const BYOC_CAPABILITY_KEYS = [
  'text',
  'buttons',
  'quickReplies',
  'cards',
  'listPicker',
  'timePicker',
  'richLink',
  'adaptiveCard',
  'markdown',
  'html',
  'attachments',
] as const satisfies readonly ('text' | ContentElement)[];
export type ByocCapability = (typeof BYOC_CAPABILITY_KEYS)[number];

export const byocConfigSchema = strictConfig({
  callbackUrl: httpUrl(),
  capabilities: z
    .array(
      z.enum(BYOC_CAPABILITY_KEYS, {
        error: (issue) =>
          `Unknown capability ${JSON.stringify(issue.input)}; allowed: ${BYOC_CAPABILITY_KEYS.join(', ')}`,
      }),
    )
    .optional(),
  // Signs both directions. The server generates it on create (see generateByocSecret) and shows it
  // once; it is declared here only so that a stored config, or a PATCH echoing "***", validates.
  secret: secretString(256).min(16, 'At least 16 characters').optional(),
  apiBaseUrl: apiBaseUrl(),
});

export type ByocConfig = z.infer<typeof byocConfigSchema>;

export const byocDefinition: ChannelDefinition<ByocConfig> = {
  kind: 'byoc',
  configSchema: byocConfigSchema,
  secretFields: ['secret'],
  capabilities: (config) => byocCapabilities(config.capabilities ?? []),
};
