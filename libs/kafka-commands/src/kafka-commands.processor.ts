import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { CommandContext } from '@ect/command-runner';
import { CLOCK, IdempotencyKeys, PG_POOL, problem, ProblemError, toProblem, type Clock, type Problem, type Role } from '@ect/nest-kit';
import type { KafkaCommandsOptions } from './kafka-commands.config';
import { resultBody, toBusCommand, type CommandResultBody } from './kafka-commands.dispatch';
import { commandTypeOf, COMMAND_SPECS, parseCommand, parseJson, type CommandMessage } from './kafka-commands.message';

export const KAFKA_COMMANDS_OPTIONS = Symbol('KAFKA_COMMANDS_OPTIONS');

/** The reply's value. `correlationId` is the message's, else its `kafka_correlationId` header, else a new one. */
export type CommandReply =
  | { ok: true; correlationId: string; result: CommandResultBody; replayed?: true }
  | { ok: false; correlationId: string; problem: Problem };

export interface ReceivedCommand {
  /** The sender, known from the topic it wrote to (see kafka-commands.topics.ts). */
  principal: string;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Where the message is: the problem's `instance`. */
  instance: string;
}

const TRACE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Turns one command message into one reply, whatever the message holds: every failure becomes a problem with the
 * code HTTP would answer (toProblem), so a malformed message is answered like any other and never stops the consumer.
 * Idempotency keys (PostgreSQL) make a redelivered message replay the first successful result and append nothing.
 */
@Injectable()
export class KafkaCommandProcessor {
  private readonly keys: IdempotencyKeys;
  private readonly logger = new Logger('kafka-commands');

  constructor(
    @Inject(PG_POOL) pool: Pool,
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(KAFKA_COMMANDS_OPTIONS) private readonly options: KafkaCommandsOptions,
  ) {
    this.keys = new IdempotencyKeys(pool);
  }

  async process(received: ReceivedCommand): Promise<{ reply: CommandReply; headers: Record<string, string> }> {
    const header = received.headers['kafka_correlationId'];
    let correlationId = header && TRACE_ID.test(header) ? header : randomUUID();
    let type = 'unknown';
    try {
      const raw = parseJson(received.value);
      if (typeof raw.correlationId === 'string' && TRACE_ID.test(raw.correlationId)) correlationId = raw.correlationId;
      type = commandTypeOf(raw);
      this.authorize(received.principal, COMMAND_SPECS[type as CommandMessage['type']].roles);
      const { result, replayed } = await this.run(received.principal, parseCommand(raw), correlationId);
      return { reply: { ok: true, correlationId, result, ...(replayed ? { replayed } : {}) }, headers: replayed ? { 'idempotent-replayed': 'true' } : {} };
    } catch (error) {
      const { problem: body, headers } = toProblem(error);
      if (body.status >= 500 && body.code !== 'SERVICE_UNAVAILABLE') {
        // Never log message values: they hold personal data.
        this.logger.error(`${type} from User:${received.principal} at ${received.instance}: ${(error as Error)?.stack ?? error}`);
      }
      return { reply: { ok: false, correlationId, problem: { ...body, instance: received.instance } }, headers };
    }
  }

  /** The sender's roles come from configuration, as a token's claims do over HTTP. */
  private authorize(principal: string, needed: Role[]): void {
    const roles = this.options.principalRoles[principal] ?? [];
    if (!needed.some((role) => roles.includes(role))) {
      throw new ProblemError(problem(403, 'FORBIDDEN', `This needs one of the roles: ${needed.join(', ')}`));
    }
  }

  private async run(principal: string, message: CommandMessage, correlationId: string): Promise<{ result: CommandResultBody; replayed: boolean }> {
    const context: CommandContext = {
      correlationId,
      causationId: message.causationId ?? null,
      actingUserId: message.actingUserId,
      actingService: `User:${principal}`,
      expectedVersion: message.expectedVersion,
    };
    // One key space per sender, command and target, as HTTP's is per caller, method and path.
    const target = Object.entries(message.params)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    const scope = `kafka User:${principal} ${message.type} ${target}`;
    const hash = IdempotencyKeys.hash({ payload: message.payload, actingUser: message.actingUserId, expectedVersion: message.expectedVersion ?? null });
    const started = await this.keys.begin(scope, message.idempotencyKey, hash);
    if ('replay' in started) return { result: started.replay.body as CommandResultBody, replayed: true };
    try {
      const outcome = await this.commandBus.execute(toBusCommand(message, context, this.clock.now()));
      const result = resultBody(outcome as Parameters<typeof resultBody>[0]);
      await this.keys.complete(scope, message.idempotencyKey, { status: 200, body: result, headers: {} });
      return { result, replayed: false };
    } catch (error) {
      // A failed command keeps no key, so its retry runs again (as over HTTP).
      await this.keys.release(scope, message.idempotencyKey).catch(() => undefined);
      throw error;
    }
  }
}
