import { after, before, describe, it } from 'node:test';
import { getDataSourceToken } from '@nestjs/typeorm';
import { expect } from 'expect';
import type { DataSource } from 'typeorm';
import { AgentSocket } from './support/agent-socket';
import { waitFor } from './support/byoc-integrator';
import { settled } from './support/channel-helpers';
import { ChatVisitor } from './support/chat-visitor';
import { redisAvailable, startRedis, type TestRedis } from './support/redis-server';
import { startApp, type TestApp } from './support/test-app';

// The web chat behind a load balancer: two Parley instances on one PostgreSQL and one Redis
// (socket.io's Redis adapter). A visitor connected to one instance hears replies whichever
// instance's worker delivers them, and agents on the other instance hear the visitor.
const needs = !process.env.DATABASE_URL ? 'needs DATABASE_URL (PostgreSQL)' : !redisAvailable() ? 'needs REDIS_URL or a redis-server binary' : false;

describe('Web chat across instances', { skip: needs }, () => {
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let token: string;
  let channelId: string;

  before(async () => {
    redis = (await startRedis())!;
    a = await startApp({ env: { REDIS_URL: redis.url } });
    const url = (a.app.get<DataSource>(getDataSourceToken()).options as { url: string }).url;
    b = await startApp({ databaseUrl: url, dataDir: a.dataDir, env: { REDIS_URL: redis.url } });
    token = await a.http.login();
    const skill = await a.http.post('/api/v1/skills', { name: 'web' }, token);
    channelId = (await a.http.post('/api/v1/channels', { type: 'chat', name: 'Site', defaultSkillId: skill.body.id, config: {} }, token)).body.id;
  });
  after(async () => {
    await b?.stop({ keepData: true });
    await a?.stop();
    await redis?.stop();
  });

  it('delivers replies and typing to a visitor connected to the other instance', async () => {
    const agentOnB = new AgentSocket(b.url, token);
    await agentOnB.connected();
    const visitor = await (await ChatVisitor.start(b.http, channelId, { name: 'Roaming' })).connect();
    // The session from instance B works on instance A: the token is all there is.
    visitor.disconnect();
    const onA = await new ChatVisitor(a.url, visitor.token).connect();
    const sent = await onA.send('x-1', { text: 'Hello from A' });
    const created = await waitFor(() => agentOnB.of('message.created').find((e) => e.data.message.id === sent.message.id), 15_000, 'the message on B’s /agents');
    const caseId = created.data.caseId;

    // Replies posted on B are delivered by either worker, into A's socket.
    const replies = await Promise.all([1, 2, 3, 4].map((i) => (i % 2 ? a : b).http.post(`/api/v1/cases/${caseId}/messages`, { content: { text: `reply ${i}` } }, token)));
    for (const r of replies) await settled(a, token, caseId, r.body.id);
    await waitFor(() => replies.every((r) => onA.created.some((m) => m.id === r.body.id)), 15_000, 'replies on A');
    expect(onA.created.filter((m) => m.direction === 'outbound')).toHaveLength(4);

    expect(await agentOnB.socket.timeout(10_000).emitWithAck('typing', { caseId, typing: true })).toEqual({ shown: true });
    await waitFor(() => onA.typing.length > 0, 15_000, 'typing across instances');
    onA.disconnect();
    agentOnB.close();
  });
});
