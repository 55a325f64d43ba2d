import type { Role } from './auth';
import type { Schema } from './validation';

/**
 * The API's OpenAPI 3.1 document is assembled from operation descriptions that each capability exports next to its
 * controller, using the same JSON Schemas the controller validates with, so the document cannot drift from the
 * validation.
 */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI path, e.g. `/v1/schools/{urn}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Roles any one of which lets the caller in; empty for public routes. */
  roles: Role[];
  pathParams?: Record<string, Schema>;
  query?: Record<string, Schema & { required?: boolean }>;
  /** Needs `X-Acting-User-Id` (a school user linked to the school). */
  actingUser?: boolean;
  /** A write: takes Idempotency-Key and If-Match, answers with the command result. */
  command?: boolean;
  body?: Schema;
  /** Success statuses and their body schemas. */
  responses: Record<number, { description: string; schema?: Schema }>;
  /** Problem codes this operation may answer with, and their statuses. */
  errors: [status: number, code: string][];
}

export const commandResultSchema: Schema = {
  type: 'object',
  required: ['streamVersion', 'position', 'eventIds'],
  properties: {
    streamVersion: { type: ['integer', 'null'], description: "The stream's version after the command (also in ETag)" },
    position: { type: ['string', 'null'], description: 'Global position of the stream\'s last event; pass as ?after= to read your writes' },
    eventIds: { type: 'array', items: { type: 'string', format: 'uuid' }, description: 'Events appended; empty when nothing changed' },
  },
};

const problemSchema: Schema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'Stable machine-readable code' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const COMMON_ERRORS: [number, string][] = [
  [401, 'UNAUTHENTICATED'],
  [403, 'FORBIDDEN'],
  [503, 'SERVICE_UNAVAILABLE'],
];
const COMMAND_ERRORS: [number, string][] = [
  [400, 'VALIDATION_FAILED'],
  [409, 'IDEMPOTENCY_KEY_IN_USE'],
  [409, 'CONCURRENT_MODIFICATION'],
  [412, 'STREAM_VERSION_MISMATCH'],
  [422, 'IDEMPOTENCY_KEY_REUSED'],
];

export function buildOpenApiDocument(operations: ApiOperation[], info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters: unknown[] = [];
    for (const [name, schema] of Object.entries(op.pathParams ?? {})) parameters.push({ name, in: 'path', required: true, schema });
    for (const [name, { required, ...schema }] of Object.entries(op.query ?? {})) parameters.push({ name, in: 'query', required: !!required, schema });
    if (op.actingUser) {
      parameters.push({ name: 'X-Acting-User-Id', in: 'header', required: true, description: 'DfE Sign-in id of the school user this is done for; must be linked to the school now', schema: { type: 'string', format: 'uuid' } });
    }
    if (op.command) {
      parameters.push(
        { name: 'Idempotency-Key', in: 'header', required: false, description: 'Same key + same request replays the first response; another request is 422', schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,200}$' } },
        { name: 'If-Match', in: 'header', required: false, description: 'Stream version (from ETag); 412 when the stream has moved on', schema: { type: 'string' } },
        { name: 'X-Correlation-Id', in: 'header', required: false, schema: { type: 'string' } },
      );
    }
    const errors = [...(op.roles.length ? COMMON_ERRORS : []), ...(op.command ? COMMAND_ERRORS : []), ...op.errors];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = { description: r.description, ...(r.schema ? { content: { 'application/json': { schema: r.schema } } } : {}) };
    }
    const byStatus = new Map<number, string[]>();
    for (const [status, code] of errors) byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), code])]);
    for (const [status, codes] of [...byStatus.entries()].sort((a, b) => a[0] - b[0])) {
      responses[String(status)] = {
        description: `Problem: ${codes.join(', ')}`,
        content: { 'application/problem+json': { schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { properties: { code: { enum: codes } } }] } } },
      };
    }
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      ...(op.roles.length ? { security: [{ bearer: [] }], 'x-roles': op.roles } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (HS256) with claims sub, roles[, leadProviderId]' } },
      schemas: { Problem: problemSchema, CommandResult: commandResultSchema },
    },
  };
}

/** A self-contained HTML page listing every operation (no scripts or assets from elsewhere). */
export function renderDocsPage(document: ReturnType<typeof buildOpenApiDocument>): string {
  const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const sections = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, raw]) => {
      const op = raw as { summary: string; description?: string; 'x-roles'?: string[]; requestBody?: { content: { 'application/json': { schema: unknown } } }; responses: Record<string, { description: string }> };
      const body = op.requestBody ? `<h4>Body</h4><pre>${esc(JSON.stringify(op.requestBody.content['application/json'].schema, null, 2))}</pre>` : '';
      const responses = Object.entries(op.responses).map(([s, r]) => `<li><b>${esc(s)}</b> ${esc(r.description)}</li>`).join('');
      return `<section><h3><code>${esc(method.toUpperCase())} ${esc(path)}</code></h3><p>${esc(op.summary)}</p>${op.description ? `<p>${esc(op.description)}</p>` : ''}<p>Roles: ${esc((op['x-roles'] ?? ['none']).join(', '))}</p>${body}<h4>Responses</h4><ul>${responses}</ul></section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(document.info.title)}</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:.5rem;overflow:auto}section{border-top:1px solid #ccc}</style></head><body><h1>${esc(document.info.title)} ${esc(document.info.version)}</h1><p>${esc(document.info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p>${sections.join('')}</body></html>`;
}
