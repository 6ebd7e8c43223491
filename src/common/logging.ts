import type { Params } from 'nestjs-pino';

// Structured logs. Secrets, tokens, passwords and message bodies never reach them: request
// bodies are not logged at all, and these paths are censored wherever they appear.
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-parley-signature"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-slack-signature"]',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.secret',
  '*.secrets',
  '*.config',
  '*.authToken',
  '*.appSecret',
  '*.botToken',
  '*.content',
];

export function loggerParams(level: string, stream?: NodeJS.WritableStream): Params {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Query strings may carry tokens (socket.io handshakes, Meta's verify token): log paths only.
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
    },
    autoLogging: { ignore: (req: { url?: string }) => req.url === '/health' },
  };
  return { pinoHttp: stream ? [options, stream as never] : options };
}
