import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/pg-errors';
import { UsersService } from '../users/users.service';
import { TenantEntity } from './tenant.entity';

export interface CreateTenantInput {
  name: string;
  admin: { email: string; password: string; name: string };
}

@Injectable()
export class TenantsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Tenants');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // Tenant and its first admin in one transaction: a failed admin (duplicate email) leaves no
  // orphan tenant.
  async create(input: CreateTenantInput): Promise<{ id: string; name: string }> {
    return this.db.transaction(async (m) => {
      const tenant = await m.save(TenantEntity, m.create(TenantEntity, { name: input.name }));
      await this.users.create(tenant.id, { ...input.admin, role: 'admin', skillIds: [] }, m);
      return { id: tenant.id, name: tenant.name };
    });
  }

  // First start: tenant "default" with its admin, so `npm start` gives a usable server.
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.db.getRepository(TenantEntity).count()) > 0) return;
    const email = this.config.adminEmail ?? 'admin@parley.local';
    const generated = !this.config.adminPassword;
    const password = this.config.adminPassword ?? randomBytes(12).toString('base64url');
    try {
      await this.create({ name: 'default', admin: { email, password, name: 'Administrator' } });
    } catch (error) {
      // Another instance starting at the same moment on the same database created it first
      // (the admin's email is unique): that one's tenant is the default.
      if (isUniqueViolation(error) || (error instanceof DomainError && error.code === 'CONFLICT')) return;
      throw error;
    }
    // Printed once, on purpose, to the console rather than the structured log.
    if (generated) process.stdout.write(`\nParley: created tenant "default" with admin ${email} / password ${password}\n(set ADMIN_EMAIL and ADMIN_PASSWORD to choose them)\n\n`);
    else this.logger.log(`Created tenant "default" with admin ${email}`);
  }
}
