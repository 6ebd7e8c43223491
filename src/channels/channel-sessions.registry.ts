import { Injectable } from '@nestjs/common';

export type ChannelChangeListener = (channelId: string) => void;

// Where the core and the owners of live provider sessions meet (whatsapp-web.js keeps a browser
// per channel): owners register the running session, which adapters then reach through
// ChannelContext.session, and hear when an admin created, changed or removed a channel.
@Injectable()
export class ChannelSessions {
  private readonly sessions = new Map<string, unknown>();
  private readonly listeners = new Set<ChannelChangeListener>();

  get(channelId: string): unknown {
    return this.sessions.get(channelId);
  }

  set(channelId: string, session: unknown): void {
    this.sessions.set(channelId, session);
  }

  // Only the session still registered is removed: a restart may already have put a new one.
  delete(channelId: string, session: unknown): void {
    if (this.sessions.get(channelId) === session) this.sessions.delete(channelId);
  }

  onChanged(listener: ChannelChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // Called after the change committed; listeners do their (slow) work on their own time.
  changed(channelId: string): void {
    for (const listener of this.listeners) listener(channelId);
  }
}
