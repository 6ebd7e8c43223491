import { MessageMedia } from 'whatsapp-web.js';
import type { MediaSink } from '../../channel-adapter.port';
import { saveInboundMedia } from './wwebjs-media';
import { wwebjsFixture } from './wwebjs.fixtures';

describe('saveInboundMedia', () => {
  const stored: Array<{ data: Buffer; contentType: string; name?: string }> = [];
  const sink: MediaSink = {
    save: async (input) => {
      stored.push(input);
      return { url: `https://inbox.example.com/media/${stored.length}/${input.name ?? 'file'}`, contentType: input.contentType, ...(input.name && { name: input.name }), size: input.data.length };
    },
  };
  const pdf = Buffer.from('%PDF-1.4 invoice');

  beforeEach(() => {
    stored.length = 0;
  });

  it('copies what downloadMedia() decrypted into Parley storage and attaches the stored copy', async () => {
    const message = { ...wwebjsFixture('wwebjs-document-message.json'), downloadMedia: async () => new MessageMedia('application/pdf', pdf.toString('base64'), 'invoice-98765.pdf', pdf.length) };
    expect(await saveInboundMedia(message, sink)).toEqual({ url: 'https://inbox.example.com/media/1/invoice-98765.pdf', contentType: 'application/pdf', name: 'invoice-98765.pdf' });
    expect(stored).toEqual([{ data: pdf, contentType: 'application/pdf', name: 'invoice-98765.pdf' }]);
  });

  it('keeps voice notes typed with their codec and stores nameless media without a name', async () => {
    const message = { ...wwebjsFixture('wwebjs-ptt-message.json'), downloadMedia: async () => new MessageMedia('audio/ogg; codecs=opus', 'T2dnUw==', null) };
    expect(await saveInboundMedia(message, sink)).toEqual({ url: 'https://inbox.example.com/media/1/file', contentType: 'audio/ogg; codecs=opus' });
  });

  it('has nothing when the library has no media to give', async () => {
    expect(await saveInboundMedia({ ...wwebjsFixture('wwebjs-image-message.json'), downloadMedia: async () => undefined }, sink)).toBeUndefined();
    expect(await saveInboundMedia(wwebjsFixture('wwebjs-image-message.json'), sink)).toBeUndefined();
    expect(stored).toEqual([]);
  });

  it('lets download failures through for the caller to report', async () => {
    const message = { ...wwebjsFixture('wwebjs-image-message.json'), downloadMedia: async () => Promise.reject(new Error('Evaluation failed: media expired')) };
    await expect(saveInboundMedia(message, sink)).rejects.toThrow('media expired');
  });
});
