import { ProviderError, receivesWebhooks } from '../channel-adapter.port';
import { SmtpSink } from '../../test/fakes/smtp-sink.fake';
import { EmailAdapter } from './email.adapter';
import type { EmailConfig } from './email.config';

// The adapter against a real SMTP server on loopback (smtp-server), as nodemailer meets it.
describe('EmailAdapter.send', () => {
  const sink = new SmtpSink();
  const adapter = new EmailAdapter();
  let config: EmailConfig;
  const context = (overrides: Partial<EmailConfig['smtp']> = {}) => ({
    channelId: '00000000-0000-4000-8000-000000000001',
    webhookUrl: 'http://localhost/webhooks/00000000-0000-4000-8000-000000000001',
    config: { ...config, smtp: { ...config.smtp, ...overrides } },
  });
  const message = {
    messageId: '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5',
    caseId: '11111111-2222-4333-8444-555555555555',
    threadKey: '<root@mail.example.org>',
    to: { address: 'alice@example.org' },
    rendered: { text: 'Your parcel ships today.' },
    subject: 'Order 98765',
    history: [{ direction: 'inbound' as const, providerId: '<root@mail.example.org>' }],
  };

  beforeAll(async () => {
    await sink.listen();
    config = { address: 'support@inbox.example.com', fromName: 'Acme Support', smtp: { host: '127.0.0.1', port: sink.port, secure: false } };
  });
  afterAll(() => sink.close());
  beforeEach(() => sink.reset());

  it('sends through the channel’s SMTP server and returns our Message-ID as the external id', async () => {
    const result = await adapter.send(message, context());
    expect(result).toEqual({ externalId: '<parley.6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5@inbox.example.com>' });
    expect(sink.mails).toHaveLength(1);
    const [mail] = sink.mails;
    expect(mail!.envelope).toEqual({ from: 'support@inbox.example.com', to: ['alice@example.org'] });
    expect(mail!.parsed.messageId).toBe(result.externalId);
    expect(mail!.parsed.inReplyTo).toBe('<root@mail.example.org>');
    expect(mail!.parsed.subject).toBe('Re: Order 98765');
  });

  it('logs in with the channel’s user and password', async () => {
    sink.credentials = { user: 'support', pass: 'smtp-secret' };
    await adapter.send(message, context({ user: 'support', pass: 'smtp-secret' }));
    expect(sink.mails[0]!.user).toBe('support');
  });

  it.each([
    ['a refused login', () => (sink.credentials = { user: 'support', pass: 'other' }), { user: 'support', pass: 'smtp-secret' }, 'auth_revoked'],
    ['a server that wants a login', () => (sink.credentials = { user: 'support', pass: 'smtp-secret' }), {}, 'auth_revoked'],
    ['an unknown recipient', () => (sink.refuseRecipient = () => 550), {}, 'invalid_recipient'],
    ['a greylisted recipient', () => (sink.refuseRecipient = () => 450), {}, 'temporary'],
    ['a message refused for now', () => (sink.refuseMessage = () => 451), {}, 'temporary'],
    ['a message refused for good', () => (sink.refuseMessage = () => 554), {}, 'permanent'],
  ])('classifies %s', async (_case, arrange, smtp, expected) => {
    arrange();
    const error = await adapter.send(message, context(smtp)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).errorClass).toBe(expected);
    expect(sink.mails).toHaveLength(0);
  });

  it('classifies an unreachable server as temporary', async () => {
    const closed = new SmtpSink();
    const port = await closed.listen();
    await closed.close();
    const error = await adapter.send(message, context({ port })).catch((e: unknown) => e);
    expect((error as ProviderError).errorClass).toBe('temporary');
  });

  it('receives no webhooks: inbound mail comes through the SMTP listener and IMAP', () => {
    expect(receivesWebhooks(adapter)).toBe(false);
    expect(adapter.threadsByReference).toBe(true);
  });
});
