import { createTransport } from 'nodemailer';
import type { ChannelAdapter, ChannelContext, ChannelKind, OutboundMessage, SendResult } from '../channel-adapter.port';
import { composeEmail } from './email.composer';
import { emailDefinition, type EmailConfig } from './email.config';
import { classifySmtpError } from './email.errors';

// Email replies through the channel's own SMTP server (providers.md §6, nodemailer). Mail comes in
// through Parley's SMTP listener or IMAP polling (src/email), not webhooks: this adapter has no
// verify/parse, so the channel's webhook URL answers 404.

// The outbound queue retries with its own backoff; one attempt must not hold a worker for long.
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

export class EmailAdapter implements ChannelAdapter<EmailConfig> {
  readonly kind: ChannelKind = 'email';
  readonly configSchema = emailDefinition.configSchema;
  readonly secretFields = emailDefinition.secretFields;
  readonly threadsByReference = true;

  capabilities(config: EmailConfig) {
    return emailDefinition.capabilities(config);
  }

  async send(message: OutboundMessage, context: ChannelContext<EmailConfig>): Promise<SendResult> {
    const { smtp } = context.config;
    // One connection per send: adapters keep no per-tenant state (no pool shared across sends).
    const transport = createTransport({
      host: smtp.host,
      port: smtp.port,
      // true: implicit TLS (465); false: STARTTLS whenever the server offers it.
      secure: smtp.secure,
      ...(smtp.user !== undefined && smtp.pass !== undefined ? { auth: { user: smtp.user, pass: smtp.pass } } : {}),
      ...SMTP_TIMEOUTS,
      logger: false,
      debug: false,
    });
    const mail = composeEmail(message, context.config);
    try {
      const info = await transport.sendMail(mail);
      if (info.rejected.length > 0) throw Object.assign(new Error(`Recipient refused: ${String(info.response)}`), { responseCode: 550, command: 'RCPT TO' });
      // Our Message-ID: replies to this mail name it in In-Reply-To/References.
      return { externalId: mail.messageId as string };
    } catch (error) {
      throw classifySmtpError(error);
    } finally {
      transport.close();
    }
  }
}
