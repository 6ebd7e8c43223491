import { Injectable } from '@nestjs/common';
import type { StoredEvent } from './events.service';

export type EventListener = (events: StoredEvent[]) => void;

// Decouples the services that commit events from the transports that push them (socket.io
// today; Teams alerts and others later).
@Injectable()
export class EventPublisher {
  private readonly listeners: EventListener[] = [];

  subscribe(listener: EventListener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  publish(events: StoredEvent[]): void {
    for (const listener of this.listeners) listener(events);
  }
}
