import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventsService } from './events.service';

// Events are kept at least 24 h (EVENTS_RETENTION_HOURS, default 72) for reconnecting clients.
@Injectable()
export class EventsRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventsRetention');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.events.prune(this.config.eventsRetentionHours).catch((error: unknown) => this.logger.warn({ err: error }, 'prune failed'));
    }, 3600_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
