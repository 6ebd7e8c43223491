import { EventEmitter } from 'node:events';
import type { ClientOptions, MessageMedia, MessageSendOptions } from 'whatsapp-web.js';
import type { WwebjsClient } from '../../channels/whatsapp/web/wwebjs-client.port';

// whatsapp-web.js's Client replaced at its boundary: an EventEmitter with the methods Parley
// calls. Tests play WhatsApp Web by emitting the library's events (qr, ready, message, …) with
// recorded Message objects, and read what was sent.

export interface FakeSend {
  chatId: string;
  content: string | MessageMedia;
  options: MessageSendOptions | undefined;
}

export class FakeWwebjsClient extends EventEmitter implements WwebjsClient {
  initialized = 0;
  destroyed = 0;
  readonly sends: FakeSend[] = [];
  // What sendMessage() does; by default WhatsApp Web accepts and answers a Message with an id.
  answer: (send: FakeSend) => unknown = (send) => ({ id: { fromMe: true, remote: send.chatId, id: this.nextId(), _serialized: `true_${send.chatId}_${this.lastId}` }, ack: 0, fromMe: true });
  initializeError: Error | null = null;
  private counter = 0;
  private lastId = '';

  constructor(readonly options: ClientOptions) {
    super();
  }

  async initialize(): Promise<void> {
    this.initialized++;
    if (this.initializeError) throw this.initializeError;
  }

  async destroy(): Promise<void> {
    this.destroyed++;
  }

  async sendMessage(chatId: string, content: string | MessageMedia, options?: MessageSendOptions): Promise<unknown> {
    const send = { chatId, content, options };
    this.sends.push(send);
    return this.answer(send);
  }

  async getState(): Promise<string | null> {
    return this.destroyed ? null : 'CONNECTED';
  }

  // The events WhatsApp Web emits while a phone scans the QR code and the session opens.
  pair(qr = '2@fakeQrPayload,AbCdEfGh==,IjKlMnOp==,QrStUvWx=='): void {
    this.emit('qr', qr);
    this.emit('authenticated');
    this.emit('ready');
  }

  private nextId(): string {
    this.lastId = `3EB0${String(++this.counter).padStart(16, '0')}`;
    return this.lastId;
  }
}

// The factory handed to the app instead of `new Client(options)`; keeps every client it made.
export class FakeWwebjsClients {
  readonly created: FakeWwebjsClient[] = [];

  readonly factory = (options: ClientOptions): FakeWwebjsClient => {
    const client = new FakeWwebjsClient(options);
    this.created.push(client);
    return client;
  };

  last(): FakeWwebjsClient {
    const client = this.created[this.created.length - 1];
    if (!client) throw new Error('no whatsapp-web.js client was created');
    return client;
  }
}
