import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodBody, ZodBody } from '../common/zod-body';
import { Public } from './auth.decorators';
import { AuthService, type LoginResult } from './auth.service';

const login = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(200) });

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiZodBody(login)
  login(@ZodBody(login) body: z.infer<typeof login>): Promise<LoginResult> {
    return this.auth.login(body.email, body.password);
  }
}
