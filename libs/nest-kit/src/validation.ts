import Ajv, { type ErrorObject, type JSONSchemaType, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { validationFailed } from './problem';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, useDefaults: false, coerceTypes: false });
addFormats(ajv, ['email', 'uuid', 'date', 'date-time']);

const cache = new WeakMap<object, ValidateFunction>();

/** JSON Schema for request parts; the same schemas describe the API in the OpenAPI document. */
export type Schema = Record<string, unknown>;

/**
 * Checks a value against a JSON Schema and returns it typed, or throws VALIDATION_FAILED naming every bad field by
 * its path in the body or its path parameter name (`email`, `registeredBy.email`, `urn`), as domain errors do.
 */
export function validate<T>(schema: Schema | JSONSchemaType<T>, value: unknown, part: 'body' | 'path' | 'query' | 'header'): T {
  let check = cache.get(schema);
  if (!check) {
    check = ajv.compile(schema);
    cache.set(schema, check);
  }
  if (value === undefined && part === 'body') {
    throw validationFailed([{ field: '(body)', message: 'a JSON body is required' }]);
  }
  if (check(value)) return value as T;
  // One entry per field: the first complaint about it is the most specific.
  const byField = new Map<string, { field: string; message: string }>();
  for (const error of check.errors ?? []) {
    const described = describe(error, part);
    if (!byField.has(described.field)) byField.set(described.field, described);
  }
  throw validationFailed([...byField.values()]);
}

function describe(error: ErrorObject, part: string): { field: string; message: string } {
  const whole = part === 'body' ? '(body)' : `(${part})`;
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { field: [path, missing].filter(Boolean).join('.'), message: 'is required' };
  }
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return { field: [path, extra].filter(Boolean).join('.'), message: 'is not allowed' };
  }
  return { field: path || whole, message: error.message ?? 'is not valid' };
}

/** Reusable field schemas. */
export const fields = {
  urn: { type: 'string', pattern: '^[0-9]{6}$', description: 'School URN: 6 digits' },
  email: { type: 'string', format: 'email', maxLength: 254 },
  name: { type: 'string', minLength: 1, maxLength: 70, pattern: '\\S' },
  uuid: { type: 'string', format: 'uuid' },
  date: { type: 'string', format: 'date' },
  contractPeriod: { type: 'integer', minimum: 2021, maximum: 2100 },
  id: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' },
} as const;
