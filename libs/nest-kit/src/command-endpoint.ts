import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import type { CommandContext } from '@ect/command-runner';
import type { GlobalPosition } from '@ect/event-store';
import { callerOf } from './auth';
import { IdempotencyKeys } from './idempotency';
import { validationFailed } from './problem';
import { PG_POOL } from './tokens';

/** What a command handler reports back; becomes the response body `{streamVersion, position, eventIds}`. */
export interface CommandOutcome {
  streamVersion: number | null;
  position: GlobalPosition | null;
  eventIds: string[];
  /** 201 for a creation, 200 otherwise. */
  status?: 200 | 201;
}

export interface CommandResponseBody {
  streamVersion: number | null;
  position: string | null;
  eventIds: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRACE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The HTTP conventions of every write: caller and acting user into the command context, correlation ids,
 * If-Match → expected stream version, Idempotency-Key, and the response body and ETag.
 */
@Injectable()
export class CommandEndpoint {
  private readonly keys: IdempotencyKeys;

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.keys = new IdempotencyKeys(pool);
  }

  async handle(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { actingUser: 'required' | 'none'; run: (context: CommandContext) => Promise<CommandOutcome> },
  ): Promise<CommandResponseBody> {
    const caller = callerOf(request);
    const context = this.context(request, caller.sub, options.actingUser);
    const key = header(request, 'idempotency-key');
    if (key === undefined) return this.send(reply, await options.run(context));

    IdempotencyKeys.assertValidKey(key);
    const scope = `${caller.sub} ${request.method} ${request.url.split('?')[0]}`;
    const hash = IdempotencyKeys.hash({ body: request.body ?? null, actingUser: context.actingUserId, ifMatch: context.expectedVersion ?? null });
    const started = await this.keys.begin(scope, key, hash);
    if ('replay' in started) {
      reply.status(started.replay.status).headers({ ...started.replay.headers, 'idempotent-replayed': 'true' });
      return started.replay.body as CommandResponseBody;
    }
    try {
      const outcome = await options.run(context);
      const body = this.send(reply, outcome);
      await this.keys.complete(scope, key, { status: outcome.status ?? 200, body, headers: { etag: etag(outcome.streamVersion) } });
      return body;
    } catch (error) {
      await this.keys.release(scope, key).catch(() => undefined);
      throw error;
    }
  }

  private send(reply: FastifyReply, outcome: CommandOutcome): CommandResponseBody {
    reply.status(outcome.status ?? 200).header('etag', etag(outcome.streamVersion));
    return {
      streamVersion: outcome.streamVersion,
      position: outcome.position === null ? null : outcome.position.toString(),
      eventIds: outcome.eventIds,
    };
  }

  private context(request: FastifyRequest, service: string, actingUser: 'required' | 'none'): CommandContext {
    const errors: { field: string; message: string }[] = [];
    let actingUserId: string | null = null;
    if (actingUser === 'required') {
      const value = header(request, 'x-acting-user-id');
      if (!value) errors.push({ field: 'x-acting-user-id', message: 'is required: the DfE Sign-in id of the user this is done for' });
      else if (!UUID.test(value)) errors.push({ field: 'x-acting-user-id', message: 'must be a UUID' });
      else actingUserId = value.toLowerCase();
    }
    const correlationId = header(request, 'x-correlation-id') ?? randomUUID();
    if (!TRACE_ID.test(correlationId)) errors.push({ field: 'x-correlation-id', message: 'must be 1 to 100 of A-Z a-z 0-9 . _ : -' });
    const causationId = header(request, 'x-causation-id') ?? null;
    if (causationId !== null && !TRACE_ID.test(causationId)) errors.push({ field: 'x-causation-id', message: 'must be 1 to 100 of A-Z a-z 0-9 . _ : -' });
    const ifMatch = header(request, 'if-match');
    let expectedVersion: number | undefined;
    if (ifMatch !== undefined) {
      const match = /^(?:W\/)?"?(-?\d{1,15})"?$/.exec(ifMatch.trim());
      if (!match) errors.push({ field: 'if-match', message: 'must be a stream version as given in ETag, e.g. "3"' });
      else expectedVersion = Number(match[1]);
    }
    if (errors.length) throw validationFailed(errors);
    return { correlationId, causationId, actingUserId, actingService: service, expectedVersion };
  }
}

export function etag(version: number | null): string {
  return `"${version ?? -1}"`;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
