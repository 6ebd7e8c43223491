import { HttpException } from '@nestjs/common';
import { isConcurrencyFailure } from '../database/pg-errors';
import { DomainError, type ErrorDetail } from './errors';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: ErrorDetail[];
}

const HTTP_CODES: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

// Driver errors that mean "the database is not reachable right now": the caller (a provider)
// should retry, so they become 503 rather than 500.
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '53300', '08006', '08001', '08003']);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  if (typeof code === 'string' && UNAVAILABLE_ERRNOS.has(code)) return true;
  return typeof message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error|pool is (closed|ending)|PGlite is closed|Driver not Connected|Connection is not established|not initialized|Cannot execute operation on/i.test(message);
}

function isFastifyError(error: unknown): error is Error & { statusCode: number; code?: string } {
  return !!error && typeof error === 'object' && typeof (error as { statusCode?: unknown }).statusCode === 'number';
}

// The one place where every error becomes the JSON body of API.md §2.
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof DomainError) {
    return { statusCode: error.status, code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof HttpException) {
    // Fastify's errors on Nest's routes arrive wrapped by the adapter (mapException), the
    // original as the cause: answered as the original.
    if (isFastifyError(error.cause)) return toErrorBody(error.cause);
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
    return { statusCode: status, code: HTTP_CODES[status] ?? 'ERROR', message: Array.isArray(message) ? message.join('; ') : String(message), details: [] };
  }
  // Fastify's own errors (body too large, bad JSON, unsupported media type) carry a statusCode.
  if (isFastifyError(error)) {
    const status = (error as { statusCode: number }).statusCode;
    const fastifyCode = (error as { code?: string }).code;
    if (status === 413) return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large', details: [] };
    if (status >= 400 && status < 500) {
      const message = fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(String((error as Error).message)) ? 'Malformed JSON body' : String((error as Error).message);
      return { statusCode: status, code: HTTP_CODES[status] ?? 'VALIDATION_FAILED', message, details: [] };
    }
  }
  if (isDatabaseUnavailable(error)) {
    return { statusCode: 503, code: 'UNAVAILABLE', message: 'Cannot persist right now; retry later', details: [] };
  }
  // A transaction PostgreSQL aborted to settle a race (deadlock, serialization) and that still
  // lost when run again: nothing was stored and the same request can succeed in a moment. 503,
  // so that a provider redelivers its webhook (a 4xx would make it give up).
  if (isConcurrencyFailure(error)) {
    return { statusCode: 503, code: 'UNAVAILABLE', message: 'Concurrent changes got in the way; retry', details: [] };
  }
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', details: [] };
}
