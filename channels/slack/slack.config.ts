import type { z } from 'zod';
import { CHANNEL_CAPABILITIES } from '../../src/content/channel-capabilities';
import type { ChannelDefinition } from '../channel-adapter.port';
import { apiBaseUrl, secretString, strictConfig } from '../channel-config.schema';

// A Slack app installed in one workspace: the bot token (xoxb-…) sends, the signing secret
// verifies X-Slack-Signature on events and interactivity.
// https://api.slack.com/authentication/verifying-requests-from-slack
export const slackConfigSchema = strictConfig({
  botToken: secretString(),
  signingSecret: secretString(),
  // Replaces https://slack.com/api/ (the Web API base, path included).
  apiBaseUrl: apiBaseUrl(),
});

export type SlackConfig = z.infer<typeof slackConfigSchema>;

export const slackDefinition: ChannelDefinition<SlackConfig> = {
  kind: 'slack',
  configSchema: slackConfigSchema,
  secretFields: ['botToken', 'signingSecret'],
  capabilities: () => CHANNEL_CAPABILITIES.slack,
};
