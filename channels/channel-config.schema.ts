import { z } from 'zod';

// Building blocks shared by the per-kind config schemas (API.md §4). Configs are typed by admins
// (or pasted from a provider console), so every message says what the field should look like.
// No transforms: a config schema stays plain data, so it can also describe the admin form.

// Missing fields read as "Required" rather than zod's "expected string, received undefined".
const stringMessage = (issue: { input?: unknown }): string =>
  issue.input === undefined ? 'Required' : 'Must be a string';

// Surrounding whitespace is trimmed: tokens pasted from a console often carry a newline.
export const requiredString = (max = 4096) =>
  z.string({ error: stringMessage }).trim().min(1, 'Must not be empty').max(max, `At most ${max} characters`);

// Secrets are plain strings here; the "***" mask of API responses is resolved by the channel
// service before validation, so a stored secret is validated like a new one.
export const secretString = (max = 4096) => requiredString(max);

export const httpUrl = () =>
  z
    .url({
      protocol: /^https?$/,
      error: (issue) => (issue.input === undefined ? 'Required' : 'Must be an absolute http(s) URL'),
    })
    .max(2048, 'At most 2048 characters');

// Every kind accepts it: a proxy, a regional endpoint or a local test double (API.md §4).
export const apiBaseUrl = () => httpUrl().optional();

// E.164: "+" then up to 15 digits, no spaces. https://www.twilio.com/docs/glossary/what-e164
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;
export const e164Phone = () =>
  requiredString(16).regex(E164_PATTERN, 'Must be an E.164 phone number like +14155550100');

export const port = () =>
  z
    .number({ error: (issue) => (issue.input === undefined ? 'Required' : 'Must be a port number') })
    .int('Must be a whole number')
    .min(1, 'Must be between 1 and 65535')
    .max(65535, 'Must be between 1 and 65535');

export const flag = () =>
  z.boolean({ error: (issue) => (issue.input === undefined ? 'Required' : 'Must be true or false') });

// A strict object whose unknown-key error lists what is allowed, so a typo ("authtoken") is
// obvious from the 400 alone.
export function strictConfig<S extends z.core.$ZodLooseShape>(shape: S) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => `"${key}"`).join(', ');
        return `Unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}; allowed: ${allowed}`;
      }
      if (issue.code === 'invalid_type') return issue.input === undefined ? 'Required' : 'Must be an object';
      return undefined;
    },
  });
}

// Account SIDs start with "AC"; an API key SID ("SK…") or the auth token pasted here is a common
// slip. https://www.twilio.com/docs/glossary/what-is-a-sid
export const twilioAccountSid = () =>
  requiredString(64).regex(/^AC\w+$/, 'Must be a Twilio Account SID (starts with AC)');
