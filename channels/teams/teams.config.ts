import type { z } from 'zod';
import { CHANNEL_CAPABILITIES } from '../../src/content/channel-capabilities';
import type { ChannelDefinition } from '../channel-adapter.port';
import { apiBaseUrl, httpUrl, requiredString, secretString, strictConfig } from '../channel-config.schema';

// A Bot Framework bot registration (Azure Bot). Replies go to each activity's serviceUrl, so
// there is no send base here; the two auth endpoints can be replaced for a proxy or a test double.
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
export const teamsConfigSchema = strictConfig({
  // The Microsoft App ID: the `aud` of the JWTs the Bot Connector sends us.
  appId: requiredString(128),
  appPassword: secretString(),
  // Set for single-tenant bots: tokens are then requested from that tenant instead of botframework.com.
  tenantId: requiredString(256).optional(),
  apiBaseUrl: apiBaseUrl(),
  // Default https://login.botframework.com/v1/.well-known/openidconfiguration
  openIdMetadataUrl: httpUrl().optional(),
  // Default https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token
  tokenUrl: httpUrl().optional(),
});

export type TeamsConfig = z.infer<typeof teamsConfigSchema>;

export const teamsDefinition: ChannelDefinition<TeamsConfig> = {
  kind: 'teams',
  configSchema: teamsConfigSchema,
  secretFields: ['appPassword'],
  capabilities: () => CHANNEL_CAPABILITIES.teams,
};
