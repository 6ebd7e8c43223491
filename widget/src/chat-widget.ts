import { ChatApi, ChatApiError } from './chat-api';
import { ChatConnection } from './chat-connection';
import { Conversation } from './conversation';
import type { ChatMessage, Content, Postback } from './protocol';
import { newClientMessageId, type OutboxEntry, SessionStore } from './session-store';
import type { WidgetConfig } from './widget-config';
import { WidgetView } from './widget-view';

const TYPING_IDLE_MS = 2500;
const TYPING_REPEAT_MS = 3000;

const REFUSALS: Record<string, string> = {
  forbidden: 'Chat is not available on this site.',
  not_found: 'Chat is not available right now.',
};

// The widget's behaviour: one visitor session per channel and browser (its token in
// localStorage restores the conversation after a reload), an outbox that resends unacknowledged
// messages with their clientMessageId after a reconnect, receipts, typing, uploads.
export class ChatWidget {
  private readonly store: SessionStore;
  private readonly api: ChatApi;
  private readonly conversation = new Conversation();
  private readonly view: WidgetView;
  private connection: ChatConnection | null = null;
  private connecting: Promise<void> | null = null;
  private flushing = false;
  private unread = 0;
  private readonly reported = new Map<string, 'delivered' | 'read'>();
  private typingSentAt = 0;
  private typingTimer: number | undefined;

  constructor(private readonly config: WidgetConfig) {
    this.store = new SessionStore(config.channelId);
    this.api = new ChatApi(config.baseUrl, config.channelId);
    this.view = new WidgetView(config.title, {
      opened: () => {
        this.unread = 0;
        void this.connect();
        this.reportReceipts();
      },
      closed: () => undefined,
      submitText: (text) => this.send({ text }),
      attach: (file) => void this.upload(file),
      typed: () => this.typed(),
      retry: (clientMessageId) => this.retry(clientMessageId),
      choose: (postback: Postback, text: string) => this.send({ text, postback }),
    });
  }

  mount(): void {
    document.body.appendChild(this.view.host);
    for (const entry of this.store.outbox) this.conversation.addPending({ ...entry, state: 'sending' });
    this.render();
    // A returning visitor's conversation is restored (and followed) right away.
    if (this.store.token || this.store.outbox.length) void this.connect();
    if (this.config.startOpen) this.view.open();
  }

  open(): void {
    if (!this.view.isOpen) this.view.open();
  }

  close(): void {
    if (this.view.isOpen) this.view.close();
  }

  private connect(): Promise<void> {
    if (this.connection) return Promise.resolve();
    this.connecting ??= this.openConnection().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async openConnection(): Promise<void> {
    let token = this.store.token;
    try {
      if (!token) {
        token = await this.api.startSession({ name: this.config.visitorName, email: this.config.visitorEmail });
        this.store.token = token;
      }
    } catch (error) {
      this.view.showNotice(error instanceof ChatApiError && error.status === 403 ? REFUSALS.forbidden! : 'Chat is not available right now.');
      return;
    }
    this.connection = new ChatConnection(this.config.baseUrl, token, {
      connected: () => {
        this.view.showNotice(null);
        this.view.setEnabled(true);
        void this.flushOutbox();
      },
      disconnected: () => this.view.showNotice('Reconnecting…'),
      refused: (reason) => this.refused(reason),
      history: (history) => {
        for (const message of history.items) this.conversation.upsert(message);
        this.render();
        this.reportReceipts();
      },
      message: (message) => this.received(message),
      typing: (typing) => this.view.showTyping(typing.author.name, typing.typing),
    });
  }

  private refused(reason: string): void {
    this.connection?.close();
    this.connection = null;
    if (reason === 'unauthorized' && this.store.token) {
      // The token expired or was revoked: start over as a new visitor.
      this.store.token = null;
      void this.connect();
      return;
    }
    this.view.showNotice(REFUSALS[reason] ?? 'Chat is not available right now.');
    this.view.setEnabled(false);
  }

  private received(message: ChatMessage): void {
    const isNew = !this.conversation.has(message.id);
    this.conversation.upsert(message);
    if (message.direction === 'outbound') {
      this.view.showTyping(null, false);
      if (isNew && !this.view.isOpen) this.view.setUnread(++this.unread);
    }
    this.render();
    this.reportReceipts();
  }

  private send(content: Content): void {
    const entry: OutboxEntry = { clientMessageId: newClientMessageId(), content, createdAt: new Date().toISOString() };
    this.store.outbox = [...this.store.outbox, entry];
    this.conversation.addPending({ ...entry, state: 'sending' });
    this.stopTyping();
    this.render();
    void this.connect().then(() => this.flushOutbox());
  }

  private retry(clientMessageId: string): void {
    const pending = this.conversation.entries().find((e) => e.kind === 'pending' && e.pending.clientMessageId === clientMessageId);
    if (pending?.kind !== 'pending') return;
    const entry: OutboxEntry = { clientMessageId, content: pending.pending.content, createdAt: pending.pending.createdAt };
    this.store.outbox = [...this.store.outbox.filter((e) => e.clientMessageId !== clientMessageId), entry];
    this.conversation.addPending({ ...entry, state: 'sending' });
    this.render();
    void this.flushOutbox();
  }

  // In order, one at a time. Unacknowledged entries stay for the next (re)connection; the server
  // stores a resend of the same clientMessageId once.
  private async flushOutbox(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (;;) {
        const entry = this.store.outbox[0];
        const connection = this.connection;
        if (!entry || !connection?.connected) return;
        let ack;
        try {
          ack = await connection.send(entry.clientMessageId, entry.content);
        } catch {
          return; // no acknowledgement in time: retried on reconnect
        }
        this.store.outbox = this.store.outbox.filter((e) => e.clientMessageId !== entry.clientMessageId);
        if ('error' in ack) this.conversation.fail(entry.clientMessageId, ack.error.message);
        else this.conversation.upsert(ack.message);
        this.render();
      }
    } finally {
      this.flushing = false;
    }
  }

  private async upload(file: File): Promise<void> {
    this.view.showNotice(null);
    await this.connect();
    const token = this.store.token;
    if (!token) return;
    try {
      const uploaded = await this.api.upload(token, file);
      this.send({ attachments: [{ url: uploaded.url, contentType: uploaded.contentType, name: uploaded.name }] });
    } catch (error) {
      this.view.showNotice(error instanceof ChatApiError ? error.message : 'The file could not be sent.');
    }
  }

  private typed(): void {
    const now = Date.now();
    if (now - this.typingSentAt > TYPING_REPEAT_MS) {
      this.typingSentAt = now;
      this.connection?.typing(true);
    }
    window.clearTimeout(this.typingTimer);
    this.typingTimer = window.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    window.clearTimeout(this.typingTimer);
    if (this.typingSentAt) this.connection?.typing(false);
    this.typingSentAt = 0;
  }

  // Agents see "delivered" once a reply reached this page, and "read" once the visitor could see
  // it (panel open, page visible).
  private reportReceipts(): void {
    if (!this.connection?.connected) return;
    const seen = this.view.isOpen && document.visibilityState === 'visible';
    for (const entry of this.conversation.entries()) {
      if (entry.kind !== 'message' || entry.message.direction !== 'outbound') continue;
      const { id, status } = entry.message;
      const target = seen ? 'read' : 'delivered';
      if (status === 'read' || (status === 'delivered' && target === 'delivered')) continue;
      const already = this.reported.get(id);
      if (already === 'read' || already === target) continue;
      this.reported.set(id, target);
      this.connection.receipt(id, target);
    }
  }

  private render(): void {
    this.view.render(this.conversation.entries());
  }
}
