import { ProviderError } from '../channel-adapter.port';

// nodemailer's SMTP failures → the core's error classes. SMTP reply codes (RFC 5321 §4.2): 4xx is
// transient (the server asks us to come back), 5xx permanent; the enhanced status codes of
// RFC 3463 say which part failed. nodemailer sets `code` (EAUTH, EENVELOPE, ECONNECTION…),
// `responseCode` and `command` on its errors (https://nodemailer.com/smtp/#error-handling).

interface SmtpErrorShape {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
  response?: unknown;
  message?: unknown;
}

// Network-level failures: the server may be back in a minute.
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ETLS', 'EPROXY']);

// 550 mailbox unavailable, 551 user not local, 553 mailbox name not allowed: this address will
// not take mail.
const RECIPIENT_REPLIES = new Set([550, 551, 553]);

export function classifySmtpError(error: unknown): ProviderError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorShape;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const command = typeof e.command === 'string' ? e.command.toUpperCase() : '';
  const detail = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(error);
  const reason = `SMTP ${command ? `${command} ` : ''}failed: ${detail}`.slice(0, 500);

  // 535 authentication credentials invalid, 534/538 mechanism/encryption required, 530 auth
  // required: the channel's SMTP login needs an admin.
  if (code === 'EAUTH' || reply === 535 || reply === 534 || reply === 530 || reply === 538) return new ProviderError('auth_revoked', reason);
  if (reply !== undefined && reply >= 400 && reply < 500) return new ProviderError('temporary', reason);
  if (reply !== undefined && reply >= 500) {
    const atRecipient = command.startsWith('RCPT');
    if (RECIPIENT_REPLIES.has(reply) && (atRecipient || /\b5\.1\.\d\b/.test(detail))) return new ProviderError('invalid_recipient', reason);
    return new ProviderError('permanent', reason);
  }
  if (code && CONNECTION_CODES.has(code)) return new ProviderError('temporary', reason);
  // An attachment URL that could not be fetched, a dropped stream…: try again later.
  return new ProviderError('temporary', reason);
}
