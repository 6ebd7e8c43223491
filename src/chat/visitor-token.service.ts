import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

// A web chat visitor: one anonymous identity on one chat channel. `id` is the visitor's address
// on the channel (where replies go), random and unguessable.
export interface Visitor {
  tenantId: string;
  channelId: string;
  id: string;
  name?: string;
  email?: string;
}

interface VisitorClaims {
  sub: string;
  tid: string;
  chn: string;
  name?: string;
  email?: string;
}

const AUDIENCE = 'parley:chat-visitor';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Visitor tokens are JWTs (HS256) under a key derived from JWT_SECRET for this purpose only: an
// agent's access token is never a visitor token, and a visitor token never opens the agent API.
@Injectable()
export class VisitorTokenService {
  private readonly key: Buffer;

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = createHmac('sha256', config.jwtSecret).update('parley/chat-visitor-token/v1').digest();
  }

  issue(visitor: Visitor): string {
    const claims: VisitorClaims = { sub: visitor.id, tid: visitor.tenantId, chn: visitor.channelId };
    if (visitor.name) claims.name = visitor.name;
    if (visitor.email) claims.email = visitor.email;
    return this.jwt.sign(claims, { secret: this.key, audience: AUDIENCE, expiresIn: this.config.chat.sessionTtlSeconds });
  }

  // Throws UNAUTHORIZED for a missing, forged, expired or foreign token.
  verify(token: unknown): Visitor {
    if (typeof token !== 'string' || token === '') throw new DomainError('UNAUTHORIZED', 'Missing visitor token');
    let claims: VisitorClaims;
    try {
      claims = this.jwt.verify<VisitorClaims>(token, { secret: this.key, audience: AUDIENCE, algorithms: ['HS256'] });
    } catch {
      throw new DomainError('UNAUTHORIZED', 'Invalid or expired visitor token');
    }
    if (![claims.sub, claims.tid, claims.chn].every((v) => typeof v === 'string' && UUID.test(v))) {
      throw new DomainError('UNAUTHORIZED', 'Invalid visitor token');
    }
    const visitor: Visitor = { tenantId: claims.tid, channelId: claims.chn, id: claims.sub };
    if (typeof claims.name === 'string') visitor.name = claims.name;
    if (typeof claims.email === 'string') visitor.email = claims.email;
    return visitor;
  }
}
