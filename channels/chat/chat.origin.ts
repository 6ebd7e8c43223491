import type { ChatConfig } from './chat.config';

// API.md §9: `allowedOrigins` is checked against the `Origin` of session requests and /chat
// connections; unset or empty allows any origin. With a list, a request without an Origin (not
// a browser, or a browser hiding it) is refused: the widget always runs in a page that has one.
// Origins are compared exactly as browsers send them (scheme://host[:port], lower-case).
export function isOriginAllowed(config: ChatConfig, origin: string | undefined): boolean {
  const allowed = config.allowedOrigins ?? [];
  if (allowed.length === 0) return true;
  if (!origin) return false;
  const given = origin.trim().toLowerCase();
  return allowed.some((entry) => entry.toLowerCase() === given);
}
