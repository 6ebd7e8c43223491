import { z } from 'zod';
import type { Attachment } from '../../../src/content/content.schema';
import type { MessageMedia } from 'whatsapp-web.js';
import { ProviderError, type OutboundMessage, type SendResult } from '../../channel-adapter.port';
import { sendInParts } from '../../send-in-parts';
import { WWEBJS_EVENTS, type WwebjsClient, type WwebjsEvent } from './wwebjs-client.port';
import { toWwebjsSends } from './wwebjs.mapper';

// One channel's WhatsApp Web session: the whatsapp-web.js client, the pairing state the admin
// sees, and sending. It keeps no database handle: whoever owns it is told of every change and
// every incoming event through its hooks.

export const WWEBJS_SESSION_STATES = ['starting', 'qr', 'authenticated', 'ready', 'disconnected', 'auth_failure'] as const;
export type WwebjsSessionState = (typeof WWEBJS_SESSION_STATES)[number];

export interface WwebjsSessionSnapshot {
  state: WwebjsSessionState;
  // The pairing QR code's text while state is `qr` (it rotates about every 20 s).
  qr: string | null;
  // Why the session is down: the library's disconnect reason or authentication failure.
  reason: string | null;
  updatedAt: Date;
}

export interface WwebjsSessionHooks {
  changed(session: WwebjsSession): void;
  message(session: WwebjsSession, message: unknown): void;
  ack(session: WwebjsSession, message: unknown, ack: unknown): void;
}

export interface WwebjsSessionOptions {
  // WhatsApp's own text limit is far higher; the Cloud API's 4096 keeps one rule for the kind.
  maxTextLength?: number;
  // Attachment downloads (the library wants the bytes, not a link).
  fetchTimeoutMs?: number;
  maxAttachmentBytes?: number;
  now?: () => Date;
}

// Disconnect reasons that mean the phone unlinked this session (WAState, and the library's own
// 'LOGOUT'): a new QR scan is needed, retrying cannot help.
const LOGGED_OUT = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);
const CHAT_ID = /^[^@\s]+@(c\.us|lid)$/;
// Ids of our recent sends, so that a receipt arriving before the send was recorded can be retried.
const REMEMBERED_SENDS = 500;

const sentMessageSchema = z.looseObject({ id: z.looseObject({ _serialized: z.string().min(1) }) });

export class WwebjsSession {
  private current: WwebjsSessionSnapshot;
  private loggedOut = false;
  private stopped = false;
  private readonly listeners = new Map<WwebjsEvent, (...args: unknown[]) => void>();
  private readonly recentSends = new Set<string>();
  private readonly maxTextLength: number;
  private readonly fetchTimeoutMs: number;
  private readonly maxAttachmentBytes: number;
  private readonly now: () => Date;

  constructor(
    readonly channelId: string,
    private readonly client: WwebjsClient,
    private readonly hooks: WwebjsSessionHooks,
    options: WwebjsSessionOptions = {},
  ) {
    this.maxTextLength = options.maxTextLength ?? 4096;
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? 30_000;
    this.maxAttachmentBytes = options.maxAttachmentBytes ?? 64 * 1024 * 1024;
    this.now = options.now ?? (() => new Date());
    this.current = { state: 'starting', qr: null, reason: null, updatedAt: this.now() };
  }

  get snapshot(): WwebjsSessionSnapshot {
    return { ...this.current };
  }

  // Resolves once the library has opened WhatsApp Web (pairing and `ready` come later, as
  // events). A failure to launch leaves the session `disconnected` with the reason.
  async start(): Promise<void> {
    const handlers: Record<WwebjsEvent, (...args: unknown[]) => void> = {
      qr: (qr) => this.set('qr', { qr: typeof qr === 'string' ? qr : null }),
      authenticated: () => this.set('authenticated'),
      auth_failure: (message) => this.set('auth_failure', { reason: describe(message, 'authentication failed') }),
      ready: () => {
        this.loggedOut = false;
        this.set('ready');
      },
      disconnected: (reason) => {
        const why = describe(reason, 'disconnected');
        this.loggedOut = LOGGED_OUT.has(why);
        this.set('disconnected', { reason: why });
      },
      message: (message) => this.hooks.message(this, message),
      message_ack: (message, ack) => this.hooks.ack(this, message, ack),
    };
    for (const event of WWEBJS_EVENTS) {
      this.listeners.set(event, handlers[event]);
      this.client.on(event, handlers[event]);
    }
    this.hooks.changed(this);
    try {
      await this.client.initialize();
    } catch (error) {
      if (!this.stopped) this.set('disconnected', { reason: describe(error, 'could not start') });
      throw error;
    }
  }

  // Closes the browser. The session files stay in LocalAuth's folder: starting again later
  // needs no new QR scan.
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const [event, listener] of this.listeners) this.client.off(event, listener);
    this.listeners.clear();
    await this.client.destroy();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  sentRecently(externalId: string): boolean {
    return this.recentSends.has(externalId);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const { state } = this.current;
    if (state === 'auth_failure' || (state === 'disconnected' && this.loggedOut)) {
      throw new ProviderError('auth_revoked', `WhatsApp Web session logged out (${this.current.reason ?? state}): scan a new QR code`);
    }
    if (this.stopped || state !== 'ready') throw new ProviderError('temporary', `WhatsApp Web session not ready (${this.stopped ? 'stopped' : state})`);
    const chatId = message.to.address;
    if (!CHAT_ID.test(chatId)) throw new ProviderError('invalid_recipient', `Not a WhatsApp chat id: ${chatId}`);

    const sends = toWwebjsSends(message.rendered, this.maxTextLength);
    if (sends.length === 0) throw new ProviderError('permanent', 'Nothing to send');
    // Every attachment still to send is fetched before the first send, so a bad link fails the
    // message before the customer got half of it. Parts an earlier attempt delivered are neither
    // fetched nor sent again (sendInParts resumes after them).
    const delivered = message.sentParts?.length ?? 0;
    const contents: Array<string | MessageMedia | null> = [];
    for (const [index, send] of sends.entries()) contents.push(index < delivered ? null : send.kind === 'text' ? send.text : await this.media(send.attachment));

    return sendInParts(message, contents, async (content) => {
      let sent: unknown;
      try {
        // A text that looks like a vCard stays text.
        sent = await this.client.sendMessage(chatId, content!, typeof content === 'string' ? { parseVCards: false } : {});
      } catch (error) {
        throw new ProviderError('temporary', `WhatsApp Web send failed: ${describe(error, 'unknown error')}`);
      }
      // The library answers undefined when WhatsApp Web has no chat for the id.
      const parsed = sentMessageSchema.safeParse(sent);
      if (!parsed.success) throw new ProviderError('invalid_recipient', `WhatsApp Web found no chat for ${chatId}`);
      const id = parsed.data.id._serialized;
      this.remember(id);
      return id;
    });
  }

  private async media(attachment: Attachment) {
    let response: Response;
    try {
      response = await fetch(attachment.url, { signal: AbortSignal.timeout(this.fetchTimeoutMs), redirect: 'follow' });
    } catch (error) {
      throw new ProviderError('temporary', `Attachment ${attachment.url} unreachable: ${describe(error, 'fetch failed')}`);
    }
    if (!response.ok) {
      const errorClass = response.status >= 500 || response.status === 429 ? 'temporary' : 'permanent';
      throw new ProviderError(errorClass, `Attachment ${attachment.url} answered ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > this.maxAttachmentBytes) throw new ProviderError('permanent', `Attachment ${attachment.url} is larger than ${this.maxAttachmentBytes} bytes`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > this.maxAttachmentBytes) throw new ProviderError('permanent', `Attachment ${attachment.url} is larger than ${this.maxAttachmentBytes} bytes`);
    // Loaded on first use: the library pulls in puppeteer, which servers without these channels
    // never need.
    const { MessageMedia } = await import('whatsapp-web.js');
    const name = attachment.name ?? decodeURIComponent(new URL(attachment.url).pathname.split('/').pop() || 'file');
    return new MessageMedia(attachment.contentType, bytes.toString('base64'), name, bytes.length);
  }

  private remember(id: string): void {
    this.recentSends.add(id);
    if (this.recentSends.size > REMEMBERED_SENDS) this.recentSends.delete(this.recentSends.values().next().value!);
  }

  private set(state: WwebjsSessionState, fields: { qr?: string | null; reason?: string | null } = {}): void {
    if (this.stopped) return;
    this.current = { state, qr: fields.qr ?? null, reason: fields.reason ?? null, updatedAt: this.now() };
    this.hooks.changed(this);
  }
}

function describe(value: unknown, fallback: string): string {
  if (value instanceof Error) return value.message || fallback;
  return typeof value === 'string' && value ? value : fallback;
}
