import { SignJWT } from 'jose';
import { VisitorTokens } from './visitor-token';

describe('VisitorTokens', () => {
  const secret = 'a-jwt-secret-of-at-least-thirty-two-chars';
  const tokens = new VisitorTokens(secret, 3600);
  const visitor = {
    tenantId: '0b7e2c4d-1a3f-4e5b-8c9d-0e1f2a3b4c5d',
    channelId: '11111111-2222-4333-8444-555555555555',
    id: 'c0ffee00-0000-4000-8000-000000000042',
    name: 'Ana',
    email: 'ana@example.com',
  };

  it('round-trips the visitor', async () => {
    await expect(tokens.verify(await tokens.issue(visitor))).resolves.toEqual(visitor);
  });

  it('refuses agent tokens, other keys, tampering, expiry and garbage as UNAUTHORIZED', async () => {
    // An agent access token is signed with JWT_SECRET itself and has no visitor audience.
    const agentToken = await new SignJWT({ tid: visitor.tenantId, chn: visitor.channelId, role: 'admin', aud: 'parley:chat-visitor' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(visitor.id)
      .sign(new TextEncoder().encode(secret));
    const otherKey = await new VisitorTokens('another-jwt-secret-of-thirty-two-chars', 3600).issue(visitor);
    const [header, , signature] = (await tokens.issue(visitor)).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: visitor.id, tid: visitor.tenantId, chn: '22222222-2222-4333-8444-555555555555', aud: 'parley:chat-visitor' })).toString('base64url');
    const expired = await new VisitorTokens(secret, -10).issue(visitor);
    for (const token of [agentToken, otherKey, `${header}.${forged}.${signature}`, expired, 'garbage', '', undefined, 42]) {
      await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });
});
