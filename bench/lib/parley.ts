import type { Agent } from 'node:http';
import { spawnServer, type ServerHandle } from './server-process';
import { json, makeAgent } from './http';
import { freePort } from './util';
import { join } from 'node:path';

export const BENCH_ADMIN = { email: 'admin@bench.local', password: 'bench-admin-password' };
export const AGENT_PASSWORD = 'bench-agent-password';

export interface ParleySetup {
  server: ServerHandle;
  agent: Agent;
  adminToken: string;
  skillId: string;
  channelId: string;
  secret: string;
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
// all through the public HTTP API.
export async function setupParley(server: ServerHandle): Promise<ParleySetup> {
  const agent = makeAgent(16);
  const adminToken = await login(agent, server.url, BENCH_ADMIN.email, BENCH_ADMIN.password);
  const skill = await json(agent, server.url, 'POST', '/api/v1/skills', { name: 'support' }, adminToken);
  const channel = await json(agent, server.url, 'POST', '/api/v1/channels', {
    type: 'byoc',
    name: 'Bench BYOC',
    defaultSkillId: skill.id,
    // Nothing is sent outbound during the bench; the callback is never called.
    config: { callbackUrl: 'http://127.0.0.1:9/callback', capabilities: ['buttons', 'quickReplies'] },
  }, adminToken);
  return { server, agent, adminToken, skillId: skill.id, channelId: channel.id, secret: channel.secret };
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
