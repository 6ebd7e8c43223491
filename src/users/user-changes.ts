import { Injectable } from '@nestjs/common';

export interface UserChange {
  tenantId: string;
  userId: string;
}

export type UserChangeListener = (change: UserChange) => void;

// Tells whoever cares, in this process and after commit, that a user's role, skills or capacity
// changed: the realtime gateway moves their sockets between rooms at once (no reconnect needed)
// and routing looks for work the agent may now take.
@Injectable()
export class UserChanges {
  private readonly listeners: UserChangeListener[] = [];

  subscribe(listener: UserChangeListener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  emit(change: UserChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
