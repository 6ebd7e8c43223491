import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DomainError } from '../common/errors';
import { dummyPasswordHash, passwordHasher } from '../users/password-hasher';
import { UserEntity } from '../users/user.entity';
import { TokenService } from './token.service';

export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  user: { id: string; email: string; name: string; role: string; tenantId: string };
}

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly tokens: TokenService,
  ) {}

  async login(email: string, password: string): Promise<LoginResult> {
    const user = await this.users.findOneBy({ email: email.toLowerCase() });
    // Same work and the same answer whether the email or the password was wrong.
    const ok = await passwordHasher.verify(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok) throw new DomainError('INVALID_CREDENTIALS', 'Invalid email or password');
    const accessToken = this.tokens.issue({ id: user.id, tenantId: user.tenantId, role: user.role, email: user.email });
    return {
      accessToken,
      expiresIn: this.tokens.ttlSeconds,
      user: { id: user.id, email: user.email, name: user.name, role: user.role, tenantId: user.tenantId },
    };
  }
}
