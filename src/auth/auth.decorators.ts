import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../users/user.entity';

export interface AuthUser {
  id: string;
  tenantId: string;
  role: Role;
  email: string;
}

export const PUBLIC_KEY = 'parley:public';
export const ROLES_KEY = 'parley:roles';

// No bearer token needed (login, health, webhooks, platform routes with their own guard).
export const Public = () => SetMetadata(PUBLIC_KEY, true);

// Roles allowed on a route; routes without it accept every authenticated user.
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const request = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
  if (!request.user) throw new Error('CurrentUser used on a public route');
  return request.user;
});
