import { applyDecorators, Body, type PipeTransform, Query } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z, type ZodObject, type ZodType } from 'zod';
import { parseOrThrow } from './zod';

// Request bodies are validated by zod schemas (one per route), which also document themselves
// in OpenAPI: the schema is the single source of truth.
class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(
    private readonly schema: ZodType<T>,
    private readonly prefix?: string,
  ) {}

  transform(value: unknown): T {
    return parseOrThrow(this.schema, value ?? {}, { prefix: this.prefix });
  }
}

export function toOpenApi(schema: ZodType): SchemaObject {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' }) as SchemaObject;
}

export const ZodBody = <T>(schema: ZodType<T>) => Body(new ZodPipe(schema));
export const ZodQuery = <T>(schema: ZodType<T>) => Query(new ZodPipe(schema, 'query'));

export const ApiZodBody = (schema: ZodType) => ApiBody({ schema: toOpenApi(schema) });

export function ApiZodQuery(schema: ZodObject) {
  const json = toOpenApi(schema) as { properties?: Record<string, SchemaObject>; required?: string[] };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, prop]) =>
      ApiQuery({ name, required: json.required?.includes(name) ?? false, schema: prop }),
    ),
  );
}
