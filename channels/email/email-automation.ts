// Mail written by a machine: out-of-office and other auto-replies, delivery status notifications
// (bounces), list and bulk mail. They are stored like any mail but marked `automated`, so that
// nothing automatic ever answers them (the classic auto-reply loop) and a bounce does not reopen a
// case. Rules from RFC 3834 §2 and §5 (Auto-Submitted), RFC 3464 (multipart/report DSNs) and
// the de-facto headers of Exchange and others (X-Autoreply, X-Autorespond, Precedence).

export type AutomatedKind = 'auto_reply' | 'bounce' | 'bulk';

export interface AutomationSignals {
  // Lower-cased header name → its raw (unfolded) values.
  headers: ReadonlyMap<string, readonly string[]>;
  contentType: string | null;
  fromAddress: string | null;
  // The SMTP envelope sender: '' for the null reverse-path `<>` of bounces; null when unknown
  // (mail fetched over IMAP: the Return-Path header stands in for it).
  envelopeSender: string | null;
}

// Local parts that only machines use (RFC 3834 §2: never respond to them).
const DAEMONS = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)$/i;

export function detectAutomated(signals: AutomationSignals): AutomatedKind | null {
  const header = (name: string): string[] => [...(signals.headers.get(name) ?? [])].map((value) => value.trim());
  const contentType = (signals.contentType ?? '').toLowerCase();
  const localPart = signals.fromAddress?.split('@')[0] ?? '';

  if (contentType === 'multipart/report') return 'bounce';
  if (DAEMONS.test(localPart)) return 'bounce';
  const returnPath = signals.envelopeSender ?? header('return-path')[0];
  if (returnPath !== undefined && /^<?\s*>?$/.test(returnPath)) return 'bounce';

  const autoSubmitted = header('auto-submitted');
  // "no" is the explicit "a person wrote this"; any other value (auto-replied, auto-generated,
  // auto-notified…) is a machine.
  if (autoSubmitted.some((value) => value.split(';')[0]!.trim().toLowerCase() !== 'no')) return 'auto_reply';
  if (header('x-autoreply').length > 0 || header('x-autorespond').length > 0) return 'auto_reply';
  const precedence = header('precedence').map((value) => value.toLowerCase());
  if (precedence.includes('auto_reply')) return 'auto_reply';
  if (precedence.includes('bulk') || precedence.includes('junk')) return 'bulk';
  return null;
}
