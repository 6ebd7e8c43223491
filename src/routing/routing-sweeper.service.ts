import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AgentStateService } from './agent-state.service';
import { AssignmentService } from './assignment.service';
import { DispatcherService } from './dispatcher.service';
import { OfferSweeperService } from './offer-sweeper.service';
import { SlaService } from './sla.service';

// Presence is refreshed this often by every instance for the agents connected to it.
const HEARTBEAT_MS = 20_000;
// Queues are swept for missed dispatches every this many ticks (the event-driven path does the
// real work; this catches what a crash between commit and dispatch left behind).
const QUEUE_SWEEP_EVERY = 10;

// The periodic side of routing: expired offers (no answer), agents without a socket, SLA clocks
// to start and breaches to announce, cases to route again, queues to dispatch. Every step reads
// its work from the database, so it survives restarts and runs on every instance.
@Injectable()
export class RoutingSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RoutingSweeper');
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private tick: Promise<void> | null = null;
  private ticks = 0;
  private stopped = false;

  constructor(
    private readonly offers: OfferSweeperService,
    private readonly agents: AgentStateService,
    private readonly assignments: AssignmentService,
    private readonly sla: SlaService,
    private readonly dispatcher: DispatcherService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.tick ??= this.sweep().finally(() => (this.tick = null));
    }, this.config.routing.sweepMs);
    this.timer.unref();
    this.heartbeat = setInterval(() => void this.step('heartbeat', () => this.agents.heartbeat()), Math.min(HEARTBEAT_MS, Math.max(1000, this.config.routing.offlineGraceMs / 3)));
    this.heartbeat.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.tick;
  }

  // One pass; also called by tests to skip the wait.
  async sweep(): Promise<void> {
    this.ticks++;
    await this.step('offers', () => this.offers.expireOffers());
    await this.step('presence', () => this.agents.sweepOffline());
    await this.step('unrouted', () => this.assignments.routeUnrouted());
    await this.step('sla clocks', () => this.sla.startPending());
    await this.step('sla breaches', () => this.sla.sweepBreaches());
    if (this.ticks % QUEUE_SWEEP_EVERY === 0) await this.step('queues', () => this.dispatcher.requestQueued());
  }

  private async step(name: string, work: () => Promise<unknown>): Promise<void> {
    if (this.stopped) return;
    try {
      await work();
    } catch (error) {
      this.logger.warn({ err: error }, `routing sweep (${name}) failed`);
    }
  }
}
