import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { DomainError } from '../common/errors';
import { ApiZodBody, ZodBody } from '../common/zod-body';
import { capacityOverride } from '../routing/routing.schemas';
import { ROLES } from './user.entity';
import { UsersService, type UserView } from './users.service';

export const userFields = {
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(8).max(200),
  role: z.enum(ROLES),
  skillIds: z.array(z.uuid()).max(100),
  // Skills with a proficiency (1 novice – 20 expert): routing offers cases to the most proficient first.
  skills: z.array(z.object({ skillId: z.uuid(), proficiency: z.number().int().min(1).max(20) }).strict()).max(100),
  // Cases held at once per channel family, overriding the tenant defaults family by family; null: defaults.
  capacity: capacityOverride.nullable(),
};
const createUser = z.object(userFields).partial({ skillIds: true, skills: true, capacity: true }).strict();
const updateUser = z.object(userFields).partial().strict();

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiZodBody(createUser)
  create(@CurrentUser() user: AuthUser, @ZodBody(createUser) body: z.infer<typeof createUser>): Promise<UserView> {
    return this.users.create(user.tenantId, body);
  }

  @Get()
  @Roles('admin', 'supervisor')
  async list(@CurrentUser() user: AuthUser): Promise<{ items: UserView[] }> {
    return { items: await this.users.list(user.tenantId) };
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<UserView> {
    // Agents may read their own profile; admins and supervisors anyone in their tenant.
    if (user.role === 'agent' && id !== user.id) throw new DomainError('FORBIDDEN', 'Agents may only read their own profile');
    return this.users.get(user.tenantId, id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiZodBody(updateUser)
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @ZodBody(updateUser) body: z.infer<typeof updateUser>): Promise<UserView> {
    return this.users.update(user.tenantId, id, body);
  }
}
