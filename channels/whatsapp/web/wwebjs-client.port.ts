import type { MessageMedia, MessageSendOptions } from 'whatsapp-web.js';

// The part of whatsapp-web.js's `Client` Parley uses (whatsapp-web.js@1.34.7, index.d.ts). The
// real Client satisfies it; tests hand in an EventEmitter that does, so no Chromium runs there.
// Event arguments arrive as `unknown` and are validated where they are read (wwebjs.mapper.ts).
export interface WwebjsClient {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string | MessageMedia, options?: MessageSendOptions): Promise<unknown>;
}

// The events a session listens to: https://docs.wwebjs.dev/Client.html (Constants.Events).
export const WWEBJS_EVENTS = ['qr', 'authenticated', 'auth_failure', 'ready', 'disconnected', 'message', 'message_ack'] as const;
export type WwebjsEvent = (typeof WWEBJS_EVENTS)[number];
