import { contentSchema } from '../../../src/content/content.schema';
import { readInbound, toInboundEvent, toStatusEvent, toWwebjsSends, vcardText } from './wwebjs.mapper';
import { wwebjsFixture } from './wwebjs.fixtures';

const jana = { address: '4915112345678@c.us', phone: '+4915112345678', name: 'Jana Müller' };

function mapped(name: string, overrides: Record<string, unknown> = {}) {
  const decision = readInbound({ ...wwebjsFixture(name), ...overrides });
  if (decision.kind !== 'message') throw new Error(`${name} ignored: ${decision.reason}`);
  return toInboundEvent(decision.message);
}

describe('whatsapp-web.js inbound messages', () => {
  it('maps the recorded text message: id, chat id as address, phone, unix-seconds timestamp', () => {
    expect(mapped('wwebjs-message.json')).toEqual({
      kind: 'message',
      providerMessageId: 'false_4915112345678@c.us_A1B2C3D4E5F60718293A4B5C6D7E8F90',
      from: { address: '4915112345678@c.us', phone: '+4915112345678' },
      timestamp: new Date(1794302120 * 1000),
      content: { text: 'Hallo! Where is my order #98765?' },
    });
  });

  it('takes the name from _data.notifyName and keeps WhatsApp markup as written', () => {
    expect(mapped('wwebjs-chat-message.json')).toMatchObject({ from: jana, content: { text: 'Hi, this is *Jana*. My order #98765 has not arrived.' } });
  });

  it('writes a location as text with a Google Maps link, never the thumbnail in its body', () => {
    expect(mapped('wwebjs-location-message.json').content).toEqual({
      text: 'Location: Alexanderplatz, Berlin, Germany\nhttps://www.google.com/maps/search/?api=1&query=52.521918,13.413215',
    });
  });

  it('writes a shared contact as its name and numbers', () => {
    expect(mapped('wwebjs-vcard-message.json').content).toEqual({ text: 'Contact: Max Schmidt (+49 151 98765432)' });
    expect(vcardText('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\\, Maria\r\nitem1.TEL:+34 600\r\n 000 000\r\nEND:VCARD')).toBe('Contact: Anna, Maria (+34 600000 000)');
  });

  it('turns button and list answers into postbacks with the option id', () => {
    expect(mapped('wwebjs-buttons-response.json').content).toEqual({ postback: { payload: 'resend_yes', title: 'Yes, resend it' } });
    expect(mapped('wwebjs-list-response.json').content).toEqual({ postback: { payload: 'ship_express', title: 'Express (1-2 days)' } });
  });

  it('keeps media as caption plus a named placeholder when the media is not stored', () => {
    expect(mapped('wwebjs-image-message.json').content).toEqual({ text: 'Damaged box\n[Image]' });
    expect(mapped('wwebjs-document-message.json').content).toEqual({ text: '[Document: invoice-98765.pdf]' });
    expect(mapped('wwebjs-ptt-message.json').content).toEqual({ text: '[Voice message]' });
    // Media no longer downloadable: the body holds a thumbnail, which never becomes text.
    expect(mapped('wwebjs-document-message.json', { hasMedia: false }).content).toEqual({ text: '[Document: invoice-98765.pdf]' });
  });

  it('attaches stored media with the caption as text', () => {
    const decision = readInbound(wwebjsFixture('wwebjs-image-message.json'));
    if (decision.kind !== 'message') throw new Error('ignored');
    expect(decision.mediaType).toBe('image');
    const attachment = { url: 'https://inbox.example.com/media/abc/photo.jpg', contentType: 'image/jpeg', name: 'photo.jpg' };
    expect(toInboundEvent(decision.message, { attachment }).content).toEqual({ text: 'Damaged box', attachments: [attachment] });
  });

  it('accepts privacy ids (@lid) as the address, without a phone', () => {
    expect(mapped('wwebjs-lid-message.json').from).toEqual({ address: '101485263947352@lid', name: 'Jana Müller' });
  });

  it.each([
    ['wwebjs-group-message.json', /one-to-one/],
    ['wwebjs-status-message.json', /status/],
    ['wwebjs-sent-message.json', /sent by this account/],
  ])('ignores %s', (name, reason) => {
    expect(readInbound(wwebjsFixture(name))).toEqual({ kind: 'ignore', reason: expect.stringMatching(reason) });
  });

  it('ignores system messages and unreadable objects, and keeps unknown customer content as a marker', () => {
    expect(readInbound({ ...wwebjsFixture('wwebjs-message.json'), type: 'e2e_notification' })).toMatchObject({ kind: 'ignore' });
    expect(readInbound({ body: 'no id' })).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('unreadable') });
    expect(readInbound(null)).toMatchObject({ kind: 'ignore' });
    expect(mapped('wwebjs-message.json', { type: 'poll_creation', body: 'Lunch?' }).content).toEqual({ text: '[Unsupported WhatsApp message: poll_creation]\nLunch?' });
    expect(mapped('wwebjs-message.json', { body: '   ' }).content).toEqual({ text: '[WhatsApp chat message]' });
  });

  it('always hands the core valid Content', () => {
    for (const name of ['wwebjs-message.json', 'wwebjs-chat-message.json', 'wwebjs-image-message.json', 'wwebjs-document-message.json', 'wwebjs-ptt-message.json', 'wwebjs-location-message.json', 'wwebjs-vcard-message.json', 'wwebjs-buttons-response.json', 'wwebjs-list-response.json', 'wwebjs-lid-message.json']) {
      expect({ name, valid: contentSchema.safeParse(mapped(name).content).success }).toEqual({ name, valid: true });
    }
  });
});

describe('whatsapp-web.js receipts', () => {
  const sent = wwebjsFixture('wwebjs-sent-message.json');
  const id = 'true_4915112345678@c.us_3EB0F1E2D3C4B5A69788';

  it.each([
    [1, 'sent'],
    [2, 'delivered'],
    [3, 'read'],
    [4, 'read'],
  ])('maps ack %d to %s', (ack, status) => {
    expect(toStatusEvent(sent, ack)).toEqual({ kind: 'status', externalId: id, status });
  });

  it('maps ack -1 to failed with a reason', () => {
    expect(toStatusEvent(sent, -1)).toEqual({ kind: 'status', externalId: id, status: 'failed', error: 'WhatsApp could not deliver the message' });
  });

  it('ignores pending acks, acks of received messages and garbage', () => {
    expect(toStatusEvent(sent, 0)).toBeUndefined();
    expect(toStatusEvent(wwebjsFixture('wwebjs-message.json'), 3)).toBeUndefined();
    expect(toStatusEvent(sent, '3')).toBeUndefined();
    expect(toStatusEvent(undefined, 3)).toBeUndefined();
  });
});

describe('whatsapp-web.js outbound', () => {
  it('sends the text, split to the limit, then each attachment', () => {
    const attachment = { url: 'https://cdn.example.com/label.pdf', contentType: 'application/pdf', name: 'label.pdf' };
    expect(toWwebjsSends({ text: 'aaaa bbbb cccc', attachments: [attachment] }, 10)).toEqual([
      { kind: 'text', text: 'aaaa bbbb' },
      { kind: 'text', text: 'cccc' },
      { kind: 'media', attachment },
    ]);
  });

  it('writes a rich link as its URL, once', () => {
    expect(toWwebjsSends({ richLink: { url: 'https://shop.example.com/o/98765', title: 'Your order' } }, 4096)).toEqual([{ kind: 'text', text: 'Your order\nhttps://shop.example.com/o/98765' }]);
    expect(toWwebjsSends({ text: 'See https://shop.example.com/o/1', richLink: { url: 'https://shop.example.com/o/1' } }, 4096)).toEqual([{ kind: 'text', text: 'See https://shop.example.com/o/1' }]);
  });

  it('has nothing to send for empty content', () => {
    expect(toWwebjsSends({ text: '  ' }, 4096)).toEqual([]);
  });
});
