import { Injectable } from '@nestjs/common';

// Transient news for a tenant's admins (a channel's session state, its pairing QR code): pushed
// on the /agents socket, never stored nor replayed, since the current value can always be read
// again over HTTP and a stale QR code is worthless.
export interface AdminNotice {
  tenantId: string;
  type: 'channel.session';
  data: unknown;
}

export type NoticeListener = (notice: AdminNotice & { at: string }) => void;

@Injectable()
export class NoticePublisher {
  private readonly listeners = new Set<NoticeListener>();

  subscribe(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(notice: AdminNotice): void {
    const at = new Date().toISOString();
    for (const listener of this.listeners) listener({ ...notice, at });
  }
}
