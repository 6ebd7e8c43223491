import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { TokenService } from './auth/token.service';
import { ChannelsController } from './channels/channels.controller';
import { ChannelSessions } from './channels/channel-sessions.registry';
import { ChannelsService } from './channels/channels.service';
import { AllExceptionsFilter } from './common/exception.filter';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { ENTITIES } from './database/entities';
import { HealthController } from './health/health.controller';
import { SkillsController } from './skills/skills.controller';
import { SkillsService } from './skills/skills.service';
import { TenantsController, PlatformGuard } from './tenants/tenants.controller';
import { TenantsService } from './tenants/tenants.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { EmailModule } from './email/email.module';
import { InboxModule } from './inbox.module';
import { WwebjsModule } from './wwebjs/wwebjs.module';
import { ChatModule } from './chat/chat.module';
import { MediaController } from './media/media.controller';
import { MediaService } from './media/media.service';

export interface AppOptions {
  // Where structured logs go (tests capture them to prove secrets never appear).
  logStream?: NodeJS.WritableStream;
  // Providers replacing the module providers of the same token (tests swap an SDK's boundary,
  // e.g. the whatsapp-web.js client factory); see src/common/provider-overrides.ts.
  overrides?: Provider[];
  // Where the built agent app lives (default: dist/web next to package.json).
  webAppDir?: string;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        DatabaseModule.forRoot(config),
        TypeOrmModule.forFeature(ENTITIES),
        JwtModule.register({ secret: config.jwtSecret, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
        InboxModule,
        EmailModule,
        WwebjsModule.forRoot(options.overrides),
        ChatModule,
      ],
      controllers: [HealthController, AuthController, TenantsController, UsersController, SkillsController, ChannelsController, MediaController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        TokenService,
        AuthService,
        PlatformGuard,
        TenantsService,
        UsersService,
        SkillsService,
        ChannelsService,
        ChannelSessions,
        MediaService,
      ],
      exports: [APP_CONFIG, TokenService, UsersService, SkillsService, ChannelsService, ChannelSessions, MediaService, TypeOrmModule],
    };
  }
}
