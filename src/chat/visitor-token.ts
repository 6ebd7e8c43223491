import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { DomainError } from '../common/errors';

// A web chat visitor: one anonymous identity on one chat channel. `id` is the visitor's address
// on the channel (where replies go), random and unguessable.
export interface Visitor {
  tenantId: string;
  channelId: string;
  id: string;
  name?: string;
  email?: string;
}

const AUDIENCE = 'parley:chat-visitor';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Visitor tokens are JWTs (HS256) under a key derived from JWT_SECRET for this purpose only: an
// agent's access token is never a visitor token, and a visitor token never opens the agent API.
export class VisitorTokens {
  private readonly key: Uint8Array;

  constructor(
    jwtSecret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = createHmac('sha256', jwtSecret).update('parley/chat-visitor-token/v1').digest();
  }

  issue(visitor: Visitor): Promise<string> {
    const claims: Record<string, string> = { tid: visitor.tenantId, chn: visitor.channelId };
    if (visitor.name) claims.name = visitor.name;
    if (visitor.email) claims.email = visitor.email;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(visitor.id)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + this.ttlSeconds)
      .sign(this.key);
  }

  // Throws UNAUTHORIZED for a missing, forged, expired or foreign token.
  async verify(token: unknown): Promise<Visitor> {
    if (typeof token !== 'string' || token === '') throw new DomainError('UNAUTHORIZED', 'Missing visitor token');
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, this.key, { audience: AUDIENCE, algorithms: ['HS256'] }));
    } catch {
      throw new DomainError('UNAUTHORIZED', 'Invalid or expired visitor token');
    }
    const { sub, tid, chn, name, email } = claims;
    if (typeof sub !== 'string' || typeof tid !== 'string' || typeof chn !== 'string' || ![sub, tid, chn].every((v) => UUID.test(v))) {
      throw new DomainError('UNAUTHORIZED', 'Invalid visitor token');
    }
    const visitor: Visitor = { tenantId: tid, channelId: chn, id: sub };
    if (typeof name === 'string') visitor.name = name;
    if (typeof email === 'string') visitor.email = email;
    return visitor;
  }
}
