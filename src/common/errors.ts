// Domain errors carry a stable code; the HTTP status is decided once, in the exception filter,
// from this table. Domain code never throws HTTP exceptions.
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_CONTENT: 400,
  MALFORMED_PAYLOAD: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_SIGNATURE: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  WINDOW_CLOSED: 409,
  RECIPIENT_OPTED_OUT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  field?: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export class ValidationError extends DomainError {
  constructor(details: ErrorDetail[], code: 'VALIDATION_FAILED' | 'INVALID_CONTENT' = 'VALIDATION_FAILED') {
    const first = details[0];
    super(code, first ? `${first.field ? `${first.field}: ` : ''}${first.message}` : 'Invalid input', details);
  }
}
