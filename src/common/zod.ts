import type { ZodError, ZodType } from 'zod';
import { ValidationError, type ErrorDetail } from './errors';

// Turns zod issues into our error details: `field` is the dotted path of the offending value
// (prefixed with where it came from), so clients can point at the exact field.
export function zodDetails(error: ZodError, prefix?: string): ErrorDetail[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.');
    return { field: path || prefix || undefined, message: issue.message };
  });
}

export function parseOrThrow<T>(
  schema: ZodType<T>,
  input: unknown,
  options: { prefix?: string; code?: 'VALIDATION_FAILED' | 'INVALID_CONTENT' } = {},
): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(zodDetails(result.error, options.prefix), options.code);
  return result.data;
}
