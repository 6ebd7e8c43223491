import { z } from 'zod';
import { CHANNEL_CAPABILITIES } from '../../src/content/channel-capabilities';
import type { ChannelDefinition } from '../channel-adapter.port';
import { apiBaseUrl, flag, port, requiredString, secretString, strictConfig } from '../channel-config.schema';

// A mailbox: replies leave through SMTP; mail arrives at the built-in SMTP listener (SMTP_PORT) or
// is fetched over IMAP when `imap` is set. Field names follow nodemailer and imapflow:
// https://nodemailer.com/smtp/ and https://imapflow.com/module-imapflow-ImapFlow.html

// "smtp://mail.example.com" is the usual slip: these are host names, the scheme comes from `secure`.
const host = () =>
  requiredString(253).regex(/^(?!.*:\/\/)\S+$/, 'Must be a host name without scheme, e.g. smtp.example.com');

// `secure: true` is implicit TLS (usually 465 / 993); false upgrades with STARTTLS when offered.
const smtpSchema = strictConfig({
  host: host(),
  port: port(),
  secure: flag(),
  user: requiredString(320).optional(),
  pass: secretString().optional(),
}).superRefine((smtp, ctx) => {
  // AUTH needs both; one without the other is a half-filled form, not an anonymous relay.
  if (smtp.pass !== undefined && smtp.user === undefined) {
    ctx.addIssue({ code: 'custom', path: ['user'], message: 'Required when pass is set' });
  }
  if (smtp.user !== undefined && smtp.pass === undefined) {
    ctx.addIssue({ code: 'custom', path: ['pass'], message: 'Required when user is set' });
  }
});

const imapSchema = strictConfig({
  host: host(),
  port: port(),
  secure: flag(),
  user: requiredString(320),
  pass: secretString(),
  // Defaults to INBOX.
  mailbox: requiredString(1024).optional(),
});

export const emailConfigSchema = strictConfig({
  // Where customers write (RCPT TO at the built-in listener, matched case-insensitively) and the
  // From of every reply.
  address: z.email({
    error: (issue) => (issue.input === undefined ? 'Required' : 'Must be an email address'),
  }),
  // Display name of replies: "Acme Support <support@acme.example>".
  fromName: requiredString(200).optional(),
  smtp: smtpSchema,
  imap: imapSchema.optional(),
  apiBaseUrl: apiBaseUrl(),
});

export type EmailConfig = z.infer<typeof emailConfigSchema>;

export const emailDefinition: ChannelDefinition<EmailConfig> = {
  kind: 'email',
  configSchema: emailConfigSchema,
  secretFields: ['smtp.pass', 'imap.pass'],
  capabilities: () => CHANNEL_CAPABILITIES.email,
};
