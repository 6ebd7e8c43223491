import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Recorded mails (RFC 5322) for the email specs and the integration suite. `email-reply.eml` is
// the reference fixture of providers.md §6; the others follow the same clients' formats: Outlook
// (rewritten In-Reply-To, "-----Original Message-----", divRplyFwdMsg), Gmail (gmail_quote), an
// RFC 3834 auto-reply and an RFC 3464 bounce from Postfix.
export type EmailFixture =
  | 'email-reply.eml'
  | 'email-new.eml'
  | 'email-outlook-reply.eml'
  | 'email-html-only.eml'
  | 'email-auto-reply.eml'
  | 'email-bounce.eml';

export function emailFixture(name: EmailFixture): Buffer {
  return readFileSync(join(__dirname, 'fixtures', name));
}

// A fixture with some headers replaced (or removed with null) and others added on top: the same
// mail as another client or another delivery would send it.
export function withHeaders(raw: Buffer | string, headers: Record<string, string | null>): Buffer {
  const text = raw.toString();
  const split = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, split);
  const body = text.slice(split);
  const lines = head.split(/\r?\n(?![ \t])/);
  const names = new Map(Object.keys(headers).map((name) => [name.toLowerCase(), name]));
  const kept = lines.filter((line) => !names.has(line.slice(0, line.indexOf(':')).toLowerCase()));
  const added = Object.entries(headers)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${name}: ${value}`);
  return Buffer.from([...added, ...kept].join('\n') + body);
}
