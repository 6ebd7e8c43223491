import { randomBytes } from 'node:crypto';
import type { Agent } from 'node:http';
import { join } from 'node:path';
import { json, makeAgent } from './http';
import { spawnServer, type ServerHandle } from './server-process';
import { freePort } from './util';
import { type ProviderChannel, TWILIO_CHANNEL_NUMBER, WA_PHONE_NUMBER_ID } from './webhook-formats';

export const BENCH_ADMIN = { email: 'admin@bench.local', password: 'bench-admin-password' };
export const AGENT_PASSWORD = 'bench-agent-password';

export interface ParleySetup {
  server: ServerHandle;
  agent: Agent;
  adminToken: string;
  skillId: string;
  // The BYOC channel.
  channelId: string;
  secret: string;
  // Every channel of the setup, the BYOC one included, with the secret verifying its webhooks.
  channels: ProviderChannel[];
}

export async function startParley(name: string, databaseUrl: string, options: { nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<ServerHandle> {
  const port = await freePort();
  return spawnServer({
    name,
    script: join(__dirname, '..', 'parley-server.js'),
    core: 0,
    nodeArgs: options.nodeArgs,
    env: {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      ADMIN_EMAIL: BENCH_ADMIN.email,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
      // Request logs off by default (the baselines log nothing either); BENCH_LOG_LEVEL=info to
      // measure with them.
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      SMTP_PORT: '0',
      NODE_ENV: 'production',
      ...options.env,
    },
  });
}

export async function login(agent: Agent, base: string, email: string, password: string): Promise<string> {
  return (await json(agent, base, 'POST', '/api/v1/auth/login', { email, password })).accessToken as string;
}

// Tenant admin (created at boot from ADMIN_EMAIL/ADMIN_PASSWORD), a skill and a BYOC channel,
// all through the public HTTP API. With `providerApi` (the base URL of the bench's provider fake)
// also a WhatsApp Cloud, a Twilio SMS, a Telegram and a Slack channel whose `apiBaseUrl` points
// at it: Telegram's setWebhook is called when its channel is created.
export async function setupParley(server: ServerHandle, options: { providerApi?: string } = {}): Promise<ParleySetup> {
  const agent = makeAgent(16);
  const adminToken = await login(agent, server.url, BENCH_ADMIN.email, BENCH_ADMIN.password);
  const skill = await json(agent, server.url, 'POST', '/api/v1/skills', { name: 'support' }, adminToken);
  const create = async (type: string, name: string, config: Record<string, unknown>) => {
    const channel = await json(agent, server.url, 'POST', '/api/v1/channels', { type, name, defaultSkillId: skill.id, config }, adminToken);
    // A failed provider call on creation (setWebhook) leaves the channel needing attention.
    if (channel.health !== 'ok') throw new Error(`${type} channel created with health ${channel.health}: ${channel.healthReason}`);
    return channel;
  };
  const byoc = await create('byoc', 'Bench BYOC', {
    // Nothing is sent outbound during the bench; the callback is never called.
    callbackUrl: 'http://127.0.0.1:9/callback',
    capabilities: ['buttons', 'quickReplies'],
  });
  const channels: ProviderChannel[] = [{ provider: 'byoc', channelId: byoc.id, secret: byoc.secret }];
  const base = options.providerApi;
  if (base !== undefined) {
    const secret = () => randomBytes(16).toString('hex');
    const whatsapp = { provider: 'cloud', phoneNumberId: WA_PHONE_NUMBER_ID, accessToken: 'bench-wa-access-token', appSecret: secret(), verifyToken: secret(), apiBaseUrl: base };
    const sms = { provider: 'twilio', accountSid: 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9', authToken: secret(), from: TWILIO_CHANNEL_NUMBER, apiBaseUrl: base };
    const telegram = { botToken: '7012345678:AAbench-bot-token', secretToken: secret(), apiBaseUrl: base };
    const slack = { botToken: 'xoxb-bench-bot-token', signingSecret: secret(), apiBaseUrl: `${base}/api/` };
    channels.unshift(
      { provider: 'whatsapp', channelId: (await create('whatsapp', 'Bench WhatsApp', whatsapp)).id, secret: whatsapp.appSecret },
      { provider: 'sms', channelId: (await create('sms', 'Bench SMS', sms)).id, secret: sms.authToken },
      { provider: 'telegram', channelId: (await create('telegram', 'Bench Telegram', telegram)).id, secret: telegram.secretToken },
      { provider: 'slack', channelId: (await create('slack', 'Bench Slack', slack)).id, secret: slack.signingSecret },
    );
  }
  return { server, agent, adminToken, skillId: skill.id, channelId: byoc.id, secret: byoc.secret, channels };
}

export async function createAgents(setup: ParleySetup, count: number, skillFor: (i: number) => string, prefix = 'agent'): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}${i}@bench.local`;
    await json(setup.agent, setup.server.url, 'POST', '/api/v1/users', { email, name: `Agent ${i}`, password: AGENT_PASSWORD, role: 'agent', skillIds: [skillFor(i)] }, setup.adminToken);
    tokens.push(await login(setup.agent, setup.server.url, email, AGENT_PASSWORD));
  }
  return tokens;
}
