import { createTransport } from 'nodemailer';
import { simpleParser } from 'mailparser';
import type { OutboundMessage } from '../channel-adapter.port';
import { bodiesOf, composeEmail, plainToHtml } from './email.composer';
import type { EmailConfig } from './email.config';

const config: EmailConfig = {
  address: 'support@inbox.example.com',
  fromName: 'Acme Support',
  smtp: { host: '127.0.0.1', port: 2525, secure: false },
};

const message = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5',
  caseId: '11111111-2222-4333-8444-555555555555',
  threadKey: '<CAB7d9kQ1a+orig-0001@mail.example.org>',
  to: { address: 'alice@example.org' },
  rendered: { text: 'It ships <b>today</b>', format: 'html' },
  subject: '[Ticket #1234] Order 98765 has not arrived',
  history: [
    { direction: 'inbound', providerId: '<CAB7d9kQ1a+orig-0001@mail.example.org>' },
    { direction: 'outbound', providerId: '<parley.0b7c1f0e-93d4-4e8a-b5a6-0c1d2e3f4a5b@inbox.example.com>' },
    { direction: 'inbound', providerId: '<CAB7d9kQ2x+reply-0001@mail.example.org>' },
  ],
  ...overrides,
});

describe('composeEmail', () => {
  it('threads the reply: our Message-ID, In-Reply-To the latest inbound mail, References from the root', () => {
    const mail = composeEmail(message(), config);
    expect(mail).toMatchObject({
      from: { name: 'Acme Support', address: 'support@inbox.example.com' },
      to: 'alice@example.org',
      subject: 'Re: [Ticket #1234] Order 98765 has not arrived',
      messageId: '<parley.6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5@inbox.example.com>',
      inReplyTo: '<CAB7d9kQ2x+reply-0001@mail.example.org>',
      references: [
        '<CAB7d9kQ1a+orig-0001@mail.example.org>',
        '<parley.0b7c1f0e-93d4-4e8a-b5a6-0c1d2e3f4a5b@inbox.example.com>',
        '<CAB7d9kQ2x+reply-0001@mail.example.org>',
      ],
      attachments: [],
    });
  });

  it('writes a MIME message with text and HTML alternatives and the threading headers', async () => {
    const transport = createTransport({ streamTransport: true, buffer: true });
    const info = await transport.sendMail(composeEmail(message({ rendered: { text: 'See https://shop.example.net/orders/98765', format: 'plain', attachments: [{ url: 'data:text/plain;base64,aGk=', contentType: 'text/plain', name: 'note.txt' }] } }), config));
    const parsed = await simpleParser(info.message as Buffer);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/mixed' });
    expect(String(info.message)).toMatch(/Content-Type: multipart\/alternative/);
    expect(parsed.messageId).toBe('<parley.6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5@inbox.example.com>');
    expect(parsed.inReplyTo).toBe('<CAB7d9kQ2x+reply-0001@mail.example.org>');
    expect(parsed.references).toHaveLength(3);
    expect(parsed.from?.value).toEqual([{ address: 'support@inbox.example.com', name: 'Acme Support' }]);
    expect(parsed.text?.trim()).toBe('See https://shop.example.net/orders/98765');
    expect(parsed.html).toContain('<a href="https://shop.example.net/orders/98765">https://shop.example.net/orders/98765</a>');
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['note.txt']);
  });

  it('leaves In-Reply-To out when the case has no inbound mail, and keeps an empty subject polite', () => {
    const mail = composeEmail(message({ history: [], subject: null, threadKey: null }), { ...config, fromName: undefined });
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toEqual([]);
    expect(mail.subject).toBe('Re: your message');
    expect(mail.from).toEqual({ name: '', address: 'support@inbox.example.com' });
  });

  it('addresses the contact by name when known', () => {
    expect(composeEmail(message({ to: { address: 'alice@example.org', name: 'Alice Example' } }), config).to).toEqual({ name: 'Alice Example', address: 'alice@example.org' });
  });
});

describe('bodiesOf', () => {
  it('derives the text alternative of HTML', () => {
    expect(bodiesOf({ rendered: { text: '<p>It ships <b>today</b> &amp; free</p><ol><li>Track</li></ol>', format: 'html' } })).toEqual({
      text: expect.stringContaining('It ships today & free'),
      html: '<p>It ships <b>today</b> &amp; free</p><ol><li>Track</li></ol>',
    });
  });

  it('derives the HTML alternative of plain text, escaped, with paragraphs, line breaks and links', () => {
    expect(plainToHtml('Hi <Alice> & co,\nline two\n\n1. https://example.com/a?b=1&c=2.')).toBe(
      '<p>Hi &lt;Alice&gt; &amp; co,<br>\nline two</p>\n<p>1. <a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>.</p>',
    );
    expect(bodiesOf({ rendered: { attachments: [{ url: 'https://x.example/a.png', contentType: 'image/png' }] } })).toEqual({ text: '', html: '' });
  });
});
