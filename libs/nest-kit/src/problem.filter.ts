import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind } from '@ect/command-runner';
import { EventStoreError, EventStoreUnavailableError, isConnectionError } from '@ect/event-store';
import { problem, ProblemError, PROBLEM_CONTENT_TYPE, type Problem } from './problem';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  'not-found': 404,
  forbidden: 403,
  conflict: 409,
  unprocessable: 422,
  'precondition-failed': 412,
};

const CODE_BY_HTTP_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Maps every error to an RFC 9457 problem document. The one place that knows HTTP statuses for domain errors. */
export function toProblem(error: unknown): { problem: Problem; headers: Record<string, string> } {
  if (error instanceof ProblemError) return { problem: error.problem, headers: error.headers };
  if (error instanceof DomainError) {
    const status = STATUS_BY_KIND[error.kind];
    return {
      problem: problem(status, error.code, error.message, error.fields.length ? { errors: error.fields } : {}),
      headers: {},
    };
  }
  if (error instanceof EventStoreUnavailableError || isConnectionError(error)) {
    return { problem: problem(503, 'SERVICE_UNAVAILABLE', 'The event store is unavailable; try again shortly'), headers: { 'retry-after': '5' } };
  }
  if (error instanceof EventStoreError) return { problem: problem(422, error.code, error.message), headers: {} };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = CODE_BY_HTTP_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
    return { problem: problem(status, code, error.message), headers: {} };
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    return { problem: problem(status, CODE_BY_HTTP_STATUS[status] ?? 'BAD_REQUEST', fastifyError.message), headers: {} };
  }
  return { problem: problem(500, 'INTERNAL_ERROR', 'Something went wrong; it has been logged'), headers: {} };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { problem: body, headers } = toProblem(error);
    if (body.status >= 500) {
      // Never log request bodies: they hold personal data.
      this.logger.error(`${request.method} ${request.routeOptions?.url ?? 'unknown route'}: ${(error as Error)?.stack ?? error}`);
    }
    body.instance = request.url.split('?')[0];
    reply.status(body.status).headers({ ...headers, 'content-type': PROBLEM_CONTENT_TYPE }).send(body);
  }
}
