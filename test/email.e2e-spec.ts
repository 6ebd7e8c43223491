import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from 'expect';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import type { Options as MailOptions } from 'nodemailer/lib/mailer';
import { emailFixture, withHeaders } from '../channels/email/email.fixtures';
import { SmtpListener } from '../src/email/smtp-listener.service';
import { SmtpSink } from './fakes/smtp-sink.fake';
import { adminWithSkill, countRows, messagesOf, queryRows, settled, type Admin } from './support/channel-helpers';
import { freePort, startApp, type TestApp } from './support/test-app';

// Issue 6, email end to end with real clients: nodemailer delivers to Parley's SMTP listener,
// replies leave through nodemailer to a loopback SMTP server (the channel's outgoing server).
const ADDRESS = 'support@inbox.example.com';
const MAX_BYTES = 200_000;
const MAX_MEDIA_BYTES = 50_000;

interface SmtpFailure {
  responseCode?: number;
  command?: string;
  response?: string;
}

describe('Email channel', () => {
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  let smtpPort: number;
  const sink = new SmtpSink();
  let n = 0;

  // What another mail server does: connect to our listener and deliver.
  const transport = () => createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, logger: false });
  const deliverRaw = (raw: Buffer | string, options: { to?: string; from?: string } = {}) =>
    transport().sendMail({ envelope: { from: options.from ?? 'sender@example.net', to: [options.to ?? ADDRESS] }, raw });
  const send = (mail: MailOptions) => transport().sendMail({ to: ADDRESS, text: 'Hello', ...mail });
  const failureOf = (p: Promise<unknown>): Promise<SmtpFailure> =>
    p.then(
      () => {
        throw new Error('expected the SMTP server to refuse');
      },
      (error: SmtpFailure) => error,
    );
  const id = (label: string) => `<${label}-${++n}@mail.example.net>`;

  // The stored message of a Message-ID (on our channel) and its case.
  const stored = async (messageId: string) => {
    const rows = await queryRows<{ id: string; case_id: string }>(t, 'SELECT id, case_id FROM messages WHERE channel_id = $1 AND provider_message_id = $2', [channelId, messageId]);
    expect(rows).toHaveLength(1);
    return { id: rows[0]!.id, caseId: rows[0]!.case_id };
  };
  const caseOf = async (caseId: string) => (await t.http.get(`/api/v1/cases/${caseId}`, admin.token)).body;
  const reply = async (caseId: string, content: unknown) => {
    const res = await t.http.post(`/api/v1/cases/${caseId}/messages`, { content }, admin.token);
    expect(res.status).toBe(201);
    return settled(t, admin.token, caseId, res.body.id);
  };
  const outboundCount = () => countRows(t, "SELECT count(*)::int AS n FROM messages WHERE channel_id = $1 AND direction = 'outbound'", [channelId]);

  before(async () => {
    await sink.listen();
    smtpPort = await freePort();
    t = await startApp({ env: { SMTP_PORT: String(smtpPort), SMTP_MAX_BYTES: String(MAX_BYTES), MEDIA_MAX_BYTES: String(MAX_MEDIA_BYTES), OUTBOUND_MAX_ATTEMPTS: '2', OUTBOUND_BASE_DELAY_MS: '50' } });
    admin = await adminWithSkill(t);
    const channel = await t.http.post(
      '/api/v1/channels',
      {
        type: 'email',
        name: 'Support mailbox',
        defaultSkillId: admin.skillId,
        config: { address: 'Support@Inbox.Example.com', fromName: 'Acme Support', smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'support', pass: 'smtp-e2e-secret' } },
      },
      admin.token,
    );
    expect(channel.status).toBe(201);
    expect(channel.body.config).toMatchObject({ address: 'Support@Inbox.Example.com', fromName: 'Acme Support', smtp: { pass: '***' } });
    channelId = channel.body.id;
  });
  after(async () => {
    await t.stop();
    await sink.close();
  });
  beforeEach(() => {
    sink.reset();
    sink.credentials = { user: 'support', pass: 'smtp-e2e-secret' };
  });

  it('listens on SMTP_PORT and exposes the bound port', () => {
    expect(t.app.get(SmtpListener).port).toBe(smtpPort);
  });

  it('accepts mail for the channel address in any case, stores it with contact, subject and text, and keeps the raw mail', async () => {
    const info = await deliverRaw(emailFixture('email-new.eml'), { to: 'SUPPORT@inbox.example.COM', from: 'carol@example.net' });
    expect(info.response).toMatch(/^250 /);
    const { id: messageId, caseId } = await stored('<5f2e9c1a-new-0001@mail.example.net>');
    expect(await caseOf(caseId)).toMatchObject({
      channelType: 'email',
      status: 'new',
      subject: 'Order 98765 has not arrived',
      lastMessagePreview: 'Hello, my order 98765 was due last Friday and has not arrived. Can you check where it is? Thanks, Carol',
      contact: { name: 'Carol Customer', identities: [{ channelType: 'email', address: 'carol@example.net' }] },
    });
    const [message] = await messagesOf(t, admin.token, caseId);
    expect(message).toMatchObject({
      id: messageId,
      direction: 'inbound',
      author: { type: 'contact' },
      status: 'received',
      automated: false,
      content: { text: 'Hello,\n\nmy order 98765 was due last Friday and has not arrived.\nCan you check where it is?\n\nThanks,\nCarol' },
    });

    const raw = await t.http.get(`/api/v1/messages/${messageId}/raw`, admin.token);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/^message\/rfc822/);
    const reparsed = await simpleParser(Buffer.from(raw.text));
    expect(reparsed.messageId).toBe('<5f2e9c1a-new-0001@mail.example.net>');
    expect(reparsed.html).toContain('<script>alert(1)</script>');

    const details = await t.http.get(`/api/v1/messages/${messageId}/email`, admin.token);
    expect(details.body).toMatchObject({ messageId: '<5f2e9c1a-new-0001@mail.example.net>', subject: 'Order 98765 has not arrived', from: { address: 'carol@example.net', name: 'Carol Customer' }, automated: null });
    expect(details.body.html).toContain('<b>98765</b>');
    expect(details.body.html).not.toContain('<script');
    expect((await t.http.get(`/api/v1/messages/${messageId}/raw`)).status).toBe(401);
  });

  it('stores attachments in Parley’s media storage and sends them with replies', async () => {
    await deliverRaw(emailFixture('email-reply.eml'), { from: 'alice@example.org' });
    const { id: messageId, caseId } = await stored('<CAB7d9kQ2x+reply-0001@mail.example.org>');
    const [message] = await messagesOf(t, admin.token, caseId);
    expect(message).toMatchObject({
      id: messageId,
      content: {
        text: 'Hi,\n\nThanks — here is the photo of the damaged box you asked for.\n\nAlice',
        attachments: [{ url: expect.stringMatching(/\/media\/[0-9a-f-]{36}\/[\w-]+$/), contentType: 'image/png', name: 'box.png' }],
      },
    });
    const png = (await simpleParser(emailFixture('email-reply.eml'))).attachments[0]!.content;
    const url = new URL(message.content.attachments[0].url);
    const file = await fetch(`${t.url}${url.pathname}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(png);

    // The agent sends the photo back: nodemailer fetches it from its media URL.
    await reply(caseId, { text: 'Is this the one?', attachments: [message.content.attachments[0]] });
    expect(sink.mails[0]!.parsed.attachments.map((a) => [a.filename, a.contentType, a.content.equals(png)])).toEqual([['box.png', 'image/png', true]]);
  });

  it('names an attachment over the media size limit in the text instead of storing it', async () => {
    const messageId = id('big-attachment');
    await send({ messageId, from: 'bob@example.net', subject: 'Logs', text: 'Logs attached.', attachments: [{ filename: 'logs.bin', content: Buffer.alloc(MAX_MEDIA_BYTES + 1000, 7) }] });
    const { caseId } = await stored(messageId);
    const [message] = await messagesOf(t, admin.token, caseId);
    expect(message.content).toEqual({ text: `Logs attached.\n\n[Attachment logs.bin (${MAX_MEDIA_BYTES + 1000} bytes, over the size limit); it is in the original message]` });
  });

  it('refuses a recipient no email channel has at RCPT time with 550, and stores nothing', async () => {
    const before = await countRows(t, 'SELECT count(*)::int AS n FROM messages');
    const failure = await failureOf(deliverRaw(emailFixture('email-new.eml'), { to: 'nobody@inbox.example.com' }));
    expect(failure).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages')).toBe(before);
  });

  it('refuses a mail over the size limit with 552', async () => {
    const failure = await failureOf(send({ messageId: id('big'), from: 'carol@example.net', subject: 'Big', text: 'x'.repeat(MAX_BYTES + 10_000) }));
    expect(failure.responseCode).toBe(552);
  });

  // PostgreSQL's text and jsonb cannot hold U+0000: a NUL in a mail used to fail its insert, and
  // the 451 made the sending server retry the same bytes forever.
  it('accepts a mail with NUL characters (250) and stores it without them; the raw mail keeps its bytes', async () => {
    const messageId = id('nul');
    const raw = [
      'From: "Nul\u0000 Sender" <nul@example.net>',
      `To: ${ADDRESS}`,
      'Subject: Broken\u0000 export',
      `Message-ID: ${messageId}`,
      'Date: Tue, 10 Nov 2026 09:15:20 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'The export has a\u0000 NUL in it.',
      '',
    ].join('\r\n');
    const info = await deliverRaw(raw, { from: 'nul@example.net' });
    expect(info.response).toMatch(/^250 /);
    const { id: storedId, caseId } = await stored(messageId);
    const [message] = await messagesOf(t, admin.token, caseId);
    expect(message).toMatchObject({ id: storedId, direction: 'inbound', content: { text: 'The export has a NUL in it.' } });
    expect(await caseOf(caseId)).toMatchObject({ subject: 'Broken export', contact: { name: 'Nul Sender' } });
    const source = await t.http.get(`/api/v1/messages/${storedId}/raw`, admin.token);
    expect(source.text).toContain('The export has a\u0000 NUL in it.');
  });

  it('stores a mail delivered twice once', async () => {
    const messageId = id('twice');
    const mail = { messageId, from: 'Dora <dora@example.net>', subject: 'Twice', text: 'Only once please' };
    expect((await send(mail)).response).toMatch(/^250 /);
    expect((await send(mail)).response).toMatch(/^250 /);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE provider_message_id = $1', [messageId])).toBe(1);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM email_sources s JOIN messages m ON m.id = s.message_id WHERE m.provider_message_id = $1', [messageId])).toBe(1);
  });

  it('answers 451 when the mail cannot be stored, so the sender retries; the retry is stored', async () => {
    const messageId = id('outage');
    const mail = { messageId, from: 'erin@example.net', subject: 'During an outage', text: 'Are you there?' };
    await queryRows(t, 'ALTER TABLE email_sources RENAME TO email_sources_away');
    try {
      const failure = await failureOf(send(mail));
      expect(failure.responseCode).toBe(451);
      expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE provider_message_id = $1', [messageId])).toBe(0);
    } finally {
      await queryRows(t, 'ALTER TABLE email_sources_away RENAME TO email_sources');
    }
    expect((await send(mail)).response).toMatch(/^250 /);
    await stored(messageId);
  });

  it('keeps a thread of three mails in one case and replies with threading headers, From the channel and both alternatives', async () => {
    const first = id('thread');
    await send({ messageId: first, from: 'Frank Customer <frank@example.net>', subject: 'Broken zipper', text: 'The zipper broke after a week.' });
    const { caseId } = await stored(first);

    const out = await reply(caseId, { text: 'Sorry to hear that! Could you send a **photo**?', format: 'markdown' });
    expect(out).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^<parley\.[0-9a-f-]{36}@inbox\.example\.com>$/) });
    expect(sink.mails).toHaveLength(1);
    const sent = sink.mails[0]!;
    expect(sent.user).toBe('support');
    // nodemailer lower-cases the domain of envelope addresses.
    expect(sent.envelope).toEqual({ from: 'Support@inbox.example.com', to: ['frank@example.net'] });
    expect(sent.parsed.from?.value).toEqual([{ address: 'Support@inbox.example.com', name: 'Acme Support' }]);
    expect(sent.parsed.subject).toBe('Re: Broken zipper');
    expect(sent.parsed.messageId).toBe(out.externalId);
    expect(sent.parsed.messageId).toBe(`<parley.${out.id}@inbox.example.com>`);
    expect(sent.parsed.inReplyTo).toBe(first);
    expect(sent.parsed.references).toBe(first);
    expect(sent.raw.toString()).toMatch(/Content-Type: multipart\/alternative/);
    expect(sent.parsed.html).toContain('<strong>photo</strong>');
    expect(sent.parsed.text).toContain('photo');

    // Frank answers our reply, then writes again on his own answer.
    const second = id('thread');
    await send({ messageId: second, from: 'frank@example.net', subject: 'Re: Broken zipper', inReplyTo: out.externalId, references: [first, out.externalId], text: 'Here it is.\n\nOn Tue, Acme Support wrote:\n> Could you send a photo?' });
    const third = id('thread');
    await send({ messageId: third, from: 'frank@example.net', subject: 'Re: Broken zipper', inReplyTo: second, references: [first, out.externalId, second], text: 'And one more.' });
    expect((await stored(second)).caseId).toBe(caseId);
    expect((await stored(third)).caseId).toBe(caseId);
    const history = await messagesOf(t, admin.token, caseId);
    expect(history.map((m: { direction: string; content: { text: string } }) => [m.direction, m.content.text])).toEqual([
      ['inbound', 'The zipper broke after a week.'],
      ['outbound', 'Sorry to hear that! Could you send a **photo**?'],
      ['inbound', 'Here it is.'],
      ['inbound', 'And one more.'],
    ]);

    // The next reply answers the latest mail and carries the whole thread.
    const next = await reply(caseId, { text: 'Thanks, a replacement is on its way.' });
    const threaded = sink.mails[1]!.parsed;
    expect(threaded.inReplyTo).toBe(third);
    expect(threaded.references).toEqual([first, out.externalId, second, third]);
    expect(threaded.messageId).toBe(next.externalId);
  });

  it('ignores one of our own replies coming back (a Bcc to the inbox)', async () => {
    const first = id('loop');
    await send({ messageId: first, from: 'quinn@example.net', subject: 'Loop', text: 'Hello' });
    const { caseId } = await stored(first);
    const out = await reply(caseId, { text: 'Hello Quinn' });
    const before = await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [channelId]);
    expect((await deliverRaw(sink.mails[0]!.raw, { from: ADDRESS })).response).toMatch(/^250 /);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [channelId])).toBe(before);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE provider_message_id = $1', [out.externalId])).toBe(0);
  });

  it('keeps an Outlook reply (In-Reply-To rewritten, References intact) in its case', async () => {
    const first = id('outlook');
    await send({ messageId: first, from: 'Grace <grace@example.net>', subject: 'Order 98765 has not arrived', text: 'Where is it?' });
    const { caseId } = await stored(first);
    const out = await reply(caseId, { text: 'We are checking with the carrier.' });
    const raw = withHeaders(emailFixture('email-outlook-reply.eml'), {
      'Message-ID': id('outlook-reply'),
      From: 'Grace <grace@example.net>',
      // Outlook points In-Reply-To at its own copy, an id we never saw.
      'In-Reply-To': '<AM6PR08MB4021DEADBEEF@AM6PR08MB4021.eurprd08.prod.outlook.com>',
      References: `${first} ${out.externalId}`,
    });
    await deliverRaw(raw, { from: 'grace@example.net' });
    const outlook = await stored((await simpleParser(raw)).messageId!);
    expect(outlook.caseId).toBe(caseId);
    expect((await messagesOf(t, admin.token, caseId)).at(-1).content.text).toBe('Still nothing today. Is there a tracking number?\n\nCarol');
  });

  it('never threads by subject: another sender, or the same sender without references, opens another case', async () => {
    const original = id('subject');
    await send({ messageId: original, from: 'heidi@example.net', subject: 'Invoice question', text: 'Is VAT included?' });
    const other = id('subject');
    await send({ messageId: other, from: 'ivan@example.net', subject: 'Invoice question', text: 'Same subject, different person' });
    const again = id('subject');
    await send({ messageId: again, from: 'heidi@example.net', subject: 'Re: Invoice question', text: 'A new mail, not a reply' });
    const cases = new Set([(await stored(original)).caseId, (await stored(other)).caseId, (await stored(again)).caseId]);
    expect(cases.size).toBe(3);
  });

  it('files a reply from someone else on the thread (a Cc) into the case it answers', async () => {
    const first = id('cc');
    await send({ messageId: first, from: 'judy@example.net', cc: 'kim@example.net', subject: 'Group order', text: 'For both of us' });
    const { caseId } = await stored(first);
    const out = await reply(caseId, { text: 'Noted.' });
    const fromKim = id('cc');
    await send({ messageId: fromKim, from: 'kim@example.net', subject: 'Re: Group order', inReplyTo: out.externalId, references: [first, out.externalId], text: 'Thanks from me too' });
    expect((await stored(fromKim)).caseId).toBe(caseId);
    // The case still belongs to Judy: replies go to her.
    expect((await caseOf(caseId)).contact.identities).toEqual([{ channelType: 'email', address: 'judy@example.net' }]);
  });

  it('opens a new case on the thread once the case is closed', async () => {
    const first = id('closed');
    await send({ messageId: first, from: 'leo@example.net', subject: 'Return label', text: 'Please send a label' });
    const { caseId } = await stored(first);
    const out = await reply(caseId, { text: 'Label attached.' });
    expect((await t.http.patch(`/api/v1/cases/${caseId}`, { status: 'closed' }, admin.token)).status).toBe(200);
    const later = id('closed');
    await send({ messageId: later, from: 'leo@example.net', subject: 'Re: Return label', inReplyTo: out.externalId, references: [first, out.externalId], text: 'It did not print' });
    const next = await stored(later);
    expect(next.caseId).not.toBe(caseId);
    expect(await caseOf(next.caseId)).toMatchObject({ status: 'new', subject: 'Return label' });
  });

  it('stores an auto-reply as automated, on its case, without reopening it or answering it', async () => {
    const first = id('ooo');
    await send({ messageId: first, from: 'mallory@example.net', subject: 'Warranty', text: 'Is it covered?' });
    const { caseId } = await stored(first);
    const out = await reply(caseId, { text: 'Yes, two years.' });
    expect((await t.http.patch(`/api/v1/cases/${caseId}`, { status: 'resolved' }, admin.token)).status).toBe(200);
    const outbound = await outboundCount();

    const auto = withHeaders(emailFixture('email-auto-reply.eml'), { 'Message-ID': id('ooo-reply'), From: 'mallory@example.net', 'In-Reply-To': out.externalId, References: `${first} ${out.externalId}` });
    expect((await deliverRaw(auto, { from: 'mallory@example.net' })).response).toMatch(/^250 /);
    const autoMessage = await stored((await simpleParser(auto)).messageId!);
    expect(autoMessage.caseId).toBe(caseId);
    const kase = await caseOf(caseId);
    expect(kase.status).toBe('resolved');
    const last = (await messagesOf(t, admin.token, caseId)).at(-1);
    expect(last).toMatchObject({ id: autoMessage.id, automated: true, content: { text: 'I am out of the office until 20 November with limited access to email.' } });
    expect((await t.http.get(`/api/v1/messages/${autoMessage.id}/email`, admin.token)).body.automated).toBe('auto_reply');
    // Nothing was sent back.
    await new Promise((r) => setTimeout(r, 300));
    expect(await outboundCount()).toBe(outbound);
    expect(sink.mails).toHaveLength(1);

    // A person writing again does reopen it.
    const human = id('ooo');
    await send({ messageId: human, from: 'mallory@example.net', subject: 'Re: Warranty', inReplyTo: out.externalId, references: [first, out.externalId], text: 'Back now, thanks!' });
    expect((await caseOf(caseId)).status).toBe('open');
  });

  it('files a bounce of our reply on its case and marks the reply failed', async () => {
    const first = id('bounce');
    await send({ messageId: first, from: 'nina@example.net', subject: 'Address change', text: 'New address below' });
    const { caseId } = await stored(first);
    const out = await reply(caseId, { text: 'Updated.' });
    expect(out.status).toBe('sent');
    const dsn = emailFixture('email-bounce.eml').toString().replace(/<parley\.[0-9a-f-]+@inbox\.example\.com>/g, out.externalId);
    const bounceId = id('dsn');
    expect((await deliverRaw(withHeaders(dsn, { 'Message-Id': bounceId }), { from: '' })).response).toMatch(/^250 /);
    const bounce = await stored(bounceId);
    expect(bounce.caseId).toBe(caseId);
    const history = await messagesOf(t, admin.token, caseId);
    expect(history.find((m: { id: string }) => m.id === bounce.id)).toMatchObject({ automated: true, direction: 'inbound' });
    expect(history.find((m: { id: string }) => m.id === out.id)).toMatchObject({
      status: 'failed',
      error: 'Bounced: 550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown in local recipient table',
    });
    expect((await caseOf(caseId)).status).toBe('open');
  });

  it('fails a reply the outgoing server refuses for its recipient, and flags the channel when its login is refused', async () => {
    const first = id('fail');
    await send({ messageId: first, from: 'oscar@example.net', subject: 'Hi', text: 'Hi' });
    const { caseId } = await stored(first);
    sink.refuseRecipient = () => 550;
    const refused = await reply(caseId, { text: 'Hello Oscar' });
    expect(refused).toMatchObject({ status: 'failed', error: expect.stringContaining('550') });

    sink.refuseRecipient = () => null;
    sink.credentials = { user: 'support', pass: 'rotated-password' };
    const unauthorised = await reply(caseId, { text: 'Hello again' });
    expect(unauthorised.status).toBe('failed');
    const channel = await t.http.get(`/api/v1/channels/${channelId}`, admin.token);
    expect(channel.body).toMatchObject({ health: 'needs_attention', healthReason: expect.stringContaining('535'), config: { smtp: { pass: '***' } } });
    expect(t.logs()).not.toContain('smtp-e2e-secret');
  });

  it('answers 404 on the channel’s webhook URL: email arrives over SMTP and IMAP', async () => {
    const res = await t.http.request('POST', `/webhooks/${channelId}`, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(404);
  });

  it('refuses mail for a channel once it is disabled', async () => {
    expect((await t.http.patch(`/api/v1/channels/${channelId}`, { enabled: false }, admin.token)).status).toBe(200);
    const failure = await failureOf(send({ messageId: id('disabled'), from: 'pat@example.net', subject: 'Hello?' }));
    expect(failure).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    await t.http.patch(`/api/v1/channels/${channelId}`, { enabled: true }, admin.token);
  });
});
