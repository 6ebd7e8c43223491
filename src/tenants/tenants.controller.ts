import { timingSafeEqual } from 'node:crypto';
import { type CanActivate, Controller, type ExecutionContext, HttpCode, Inject, Injectable, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Public } from '../auth/auth.decorators';
import { bearerToken } from '../auth/token.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors';
import { ApiZodBody, ZodBody } from '../common/zod-body';
import { userFields } from '../users/users.controller';
import { TenantsService } from './tenants.service';

// Platform routes exist only when PLATFORM_TOKEN is set (404 otherwise, as if absent).
@Injectable()
export class PlatformGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.platformToken;
    if (!expected) throw new DomainError('NOT_FOUND', 'Not found');
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    const given = Buffer.from(bearerToken(request.headers.authorization) ?? '');
    const want = Buffer.from(expected);
    if (given.length !== want.length || !timingSafeEqual(given, want)) throw new DomainError('UNAUTHORIZED', 'Invalid platform token');
    return true;
  }
}

const createTenant = z
  .object({
    name: z.string().trim().min(1).max(200),
    admin: z.object({ email: userFields.email, password: userFields.password, name: userFields.name }).strict(),
  })
  .strict();

@ApiTags('platform')
@ApiBearerAuth()
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @Public()
  @UseGuards(PlatformGuard)
  @HttpCode(201)
  @ApiZodBody(createTenant)
  create(@ZodBody(createTenant) body: z.infer<typeof createTenant>): Promise<{ id: string; name: string }> {
    return this.tenants.create(body);
  }
}
