import { emailFixture, withHeaders } from './email.fixtures';
import { parseEmail } from './email.parser';

describe('parseEmail', () => {
  it('reads the reference reply of providers.md §6: ids, sender, subject, text without the quote, attachment', async () => {
    const mail = await parseEmail(emailFixture('email-reply.eml'));
    expect(mail).toMatchObject({
      messageId: '<CAB7d9kQ2x+reply-0001@mail.example.org>',
      inReplyTo: ['<ticket-1234.msg-5678@inbox.example.com>'],
      references: ['<CAB7d9kQ1a+orig-0001@mail.example.org>', '<ticket-1234.msg-5678@inbox.example.com>'],
      // In-Reply-To first, then References from the newest.
      threadCandidates: ['<ticket-1234.msg-5678@inbox.example.com>', '<CAB7d9kQ1a+orig-0001@mail.example.org>'],
      threadRoot: '<CAB7d9kQ1a+orig-0001@mail.example.org>',
      from: { address: 'alice@example.org', name: 'Alice Example' },
      subject: 'Re: [Ticket #1234] Order 98765 has not arrived',
      caseSubject: '[Ticket #1234] Order 98765 has not arrived',
      date: new Date('2026-11-10T09:15:20.000Z'),
      text: 'Hi,\n\nThanks — here is the photo of the damaged box you asked for.\n\nAlice',
      automated: null,
      bounce: null,
    });
    expect(mail.html).toBe('<div dir="ltr"><p>Hi,</p><p>Thanks — here is the photo of the damaged box you asked for.</p><p>Alice</p></div>\n');
    expect(mail.attachments).toEqual([
      { filename: 'box.png', contentType: 'image/png', content: expect.any(Buffer), size: 70, inline: false, contentId: '<box.png@mail.example.org>' },
    ]);
    expect(mail.attachments[0]!.content.subarray(1, 4).toString()).toBe('PNG');
  });

  it('lower-cases the sender address, keeps the display name, and sanitises the HTML part', async () => {
    const mail = await parseEmail(emailFixture('email-new.eml'));
    expect(mail.from).toEqual({ address: 'carol@example.net', name: 'Carol Customer' });
    expect(mail.threadCandidates).toEqual([]);
    expect(mail.threadRoot).toBe('<5f2e9c1a-new-0001@mail.example.net>');
    // The plain-text part is the text; the HTML is kept sanitised.
    expect(mail.text).toBe('Hello,\n\nmy order 98765 was due last Friday and has not arrived.\nCan you check where it is?\n\nThanks,\nCarol');
    expect(mail.html).toContain('<a href="https://shop.example.net/orders/98765">Order page</a>');
    expect(mail.html).toContain('<b>98765</b>');
    for (const unsafe of ['<script', 'alert(', 'onclick', 'javascript:', '<style', 'color:red']) expect(mail.html).not.toContain(unsafe);
  });

  it('strips an Outlook quote from text and HTML and still finds our id in References', async () => {
    const mail = await parseEmail(emailFixture('email-outlook-reply.eml'));
    expect(mail.text).toBe('Still nothing today. Is there a tracking number?\n\nCarol');
    expect(mail.html).toBe('<div><p>Still nothing today. Is there a tracking number?</p><p>Carol</p>\n</div>');
    expect(mail.caseSubject).toBe('Order 98765 has not arrived');
    expect(mail.threadCandidates).toEqual([
      '<AM6PR08MB4021DEADBEEF@AM6PR08MB4021.eurprd08.prod.outlook.com>',
      '<parley.2b7c1f0e-93d4-4e8a-b5a6-0c1d2e3f4a5b@inbox.example.com>',
      '<5f2e9c1a-new-0001@mail.example.net>',
    ]);
  });

  it('derives the text of an HTML-only mail from the sanitised HTML, without the Gmail quote', async () => {
    const mail = await parseEmail(emailFixture('email-html-only.eml'));
    expect(mail.text).toBe('I have the same problem with order 11111.');
    expect(mail.html).toBe('<div dir="ltr">I have the <i>same</i> problem with order 11111.</div><br />\n');
  });

  it('marks an auto-reply as automated', async () => {
    const mail = await parseEmail(emailFixture('email-auto-reply.eml'));
    expect(mail.automated).toBe('auto_reply');
    expect(mail.bounce).toBeNull();
    expect(mail.threadCandidates).toEqual(['<parley.6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5@inbox.example.com>']);
  });

  it('reads a bounce: automated, the original Message-ID as a thread candidate, the diagnostic, no report part as an attachment', async () => {
    const mail = await parseEmail(emailFixture('email-bounce.eml'), { mailFrom: '' });
    expect(mail.automated).toBe('bounce');
    expect(mail.bounce).toEqual({
      originalMessageId: '<parley.6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5@inbox.example.com>',
      reason: '550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown in local recipient table',
    });
    expect(mail.threadCandidates).toEqual(['<parley.6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5@inbox.example.com>']);
    expect(mail.attachments).toEqual([]);
    expect(mail.from).toEqual({ address: 'mailer-daemon@mx.example.org', name: 'Mail Delivery System' });
  });

  it('gives a mail without Message-ID a stable key derived from its bytes', async () => {
    const raw = withHeaders(emailFixture('email-new.eml'), { 'Message-ID': null });
    const first = await parseEmail(raw);
    const again = await parseEmail(Buffer.from(raw));
    expect(first.messageId).toMatch(/^<sha256\.[0-9a-f]{64}@parley\.invalid>$/);
    expect(again.messageId).toBe(first.messageId);
    expect((await parseEmail(withHeaders(raw, { Subject: 'Other' }))).messageId).not.toBe(first.messageId);
  });

  it('reads a single References id given as a string (mailparser returns a string, not an array)', async () => {
    const mail = await parseEmail(withHeaders(emailFixture('email-new.eml'), { References: '<only-one@example.net>', 'In-Reply-To': null }));
    expect(mail.references).toEqual(['<only-one@example.net>']);
    expect(mail.threadCandidates).toEqual(['<only-one@example.net>']);
  });

  it('shows a mail that is nothing but a quote in full, and an empty mail as empty text', async () => {
    const forward = await parseEmail(Buffer.from('From: a@example.com\nSubject: Fwd\nMessage-ID: <f@x>\n\n> quoted only\n> more\n'));
    expect(forward.text).toBe('> quoted only\n> more');
    const empty = await parseEmail(Buffer.from('From: a@example.com\nSubject: Empty\nMessage-ID: <e@x>\n\n'));
    expect(empty.text).toBe('');
    expect(empty.html).toBeNull();
  });

  // PostgreSQL refuses U+0000 in text and jsonb; the raw bytes keep it.
  it('drops NUL characters from every string it keeps: text, HTML, subject, names, ids, attachment names', async () => {
    const nul = '\u0000';
    const encoded = (text: string) => `=?utf-8?B?${Buffer.from(text).toString('base64')}?=`;
    const raw = Buffer.from(
      [
        `From: ${encoded(`Nul${nul} Sender`)} <nul@example.net>`,
        `Subject: ${encoded(`Re: Broken${nul} export`)}`,
        `Message-ID: <nul${nul}-1@example.net>`,
        `In-Reply-To: <parent${nul}@example.net>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: multipart/alternative; boundary="a"',
        '',
        '--a',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `The export has a${nul} NUL in it.`,
        '--a',
        'Content-Type: text/html; charset=utf-8',
        '',
        `<p>The export has a${nul} NUL in it.</p>`,
        '--a--',
        '--b',
        `Content-Type: application/octet-stream; name="${encoded(`export${nul}.bin`)}"`,
        'Content-Disposition: attachment',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from([1, 0, 2]).toString('base64'),
        '--b--',
        '',
      ].join('\r\n'),
    );
    const mail = await parseEmail(raw);
    expect(mail).toMatchObject({
      messageId: '<nul-1@example.net>',
      inReplyTo: ['<parent@example.net>'],
      threadCandidates: ['<parent@example.net>'],
      from: { address: 'nul@example.net', name: 'Nul Sender' },
      subject: 'Re: Broken export',
      caseSubject: 'Broken export',
      text: 'The export has a NUL in it.',
    });
    expect(mail.html).toBe('<p>The export has a NUL in it.</p>');
    expect(JSON.stringify(mail)).not.toContain('\\u0000');
    // Bytes stay bytes: an attachment's content is not text.
    expect(mail.attachments).toEqual([expect.objectContaining({ filename: 'export.bin', content: Buffer.from([1, 0, 2]) })]);
  });
});
