import type { WebhookRequest } from './channel-adapter.port';

// Header names are case-insensitive (RFC 9110 §5.1). Node lowercases them, but a request built by
// hand (a test, a replay tool) may not, so look them up without regard to case. A header sent
// several times is ambiguous for a signature check and reads as absent.
export function getHeader(request: Pick<WebhookRequest, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
    return value;
  }
  return undefined;
}
