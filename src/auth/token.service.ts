import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors';
import { ROLES, type Role } from '../users/user.entity';
import type { AuthUser } from './auth.decorators';

interface TokenClaims {
  sub: string;
  tid: string;
  role: Role;
  email: string;
}

// Issues and checks access tokens (HS256). Used by the HTTP guard and the socket handshake.
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.jwtTtlSeconds;
  }

  issue(user: AuthUser): string {
    const claims: TokenClaims = { sub: user.id, tid: user.tenantId, role: user.role, email: user.email };
    return this.jwt.sign(claims, { expiresIn: this.config.jwtTtlSeconds });
  }

  verify(token: string | undefined): AuthUser {
    if (!token) throw new DomainError('UNAUTHORIZED', 'Missing bearer token');
    try {
      const claims = this.jwt.verify<TokenClaims>(token);
      if (!claims.sub || !claims.tid || !ROLES.includes(claims.role)) throw new Error('bad claims');
      return { id: claims.sub, tenantId: claims.tid, role: claims.role, email: claims.email };
    } catch {
      throw new DomainError('UNAUTHORIZED', 'Invalid or expired token');
    }
  }
}

export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(.+)$/i.exec(value) : null;
  return match?.[1]?.trim();
}
