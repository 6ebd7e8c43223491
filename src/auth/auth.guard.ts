import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/errors';
import type { Role } from '../users/user.entity';
import { type AuthUser, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { bearerToken, TokenService } from './token.service';

// Global guard: every route needs a valid access token unless marked @Public(), and a role
// from @Roles() when present.
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Socket.io gateways authenticate once, at the handshake (an agent's JWT, a visitor's token),
    // and refuse the connection otherwise; their message handlers have no HTTP request to read.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; user?: AuthUser }>();
    const user = this.tokens.verify(bearerToken(request.headers.authorization));
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) throw new DomainError('FORBIDDEN', 'Your role cannot do this');
    return true;
  }
}
