import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { VisitorTokens } from './visitor-token';

export type { Visitor } from './visitor-token';

// The app's visitor tokens (JWT_SECRET-derived key, CHAT_SESSION_TTL_SECONDS).
@Injectable()
export class VisitorTokenService extends VisitorTokens {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.jwtSecret, config.chat.sessionTtlSeconds);
  }
}
