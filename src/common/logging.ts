import type { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

// Structured logs (pino, through Fastify). Secrets, tokens, passwords and message bodies never
// reach them: request bodies are not logged at all, query strings are cut (socket.io handshakes
// and Meta's verify token travel there), and these paths are censored wherever they appear.
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
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

export function fastifyLoggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    ...(stream ? { stream } : {}),
  };
}

// Nest's Logger calls, forwarded to the same pino logger: `logger.warn({ err }, 'text')` and
// `logger.log('text')` both come out as one structured line with the Nest context.
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: FastifyBaseLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]): void {
    // Nest appends the context name as the last parameter.
    const context = params.length && typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const text = params.find((p): p is string => typeof p === 'string');
    if (message && typeof message === 'object' && !(message instanceof Error)) {
      this.pino[level]({ ...(message as object), context }, text ?? '');
    } else if (message instanceof Error) {
      this.pino[level]({ err: message, context }, text ?? message.message);
    } else {
      this.pino[level]({ context }, String(message));
    }
  }
}
