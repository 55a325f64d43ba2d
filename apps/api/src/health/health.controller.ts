import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import type { EventStore } from '@ect/event-store';
import { EVENT_STORE, PG_POOL, problem, PROBLEM_CONTENT_TYPE } from '@ect/nest-kit';

const CHECK_TIMEOUT_MS = 2000;

/** Liveness (the process answers) and readiness (its database and event store answer). No token needed. */
@Controller('health')
export class HealthController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, @Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const checks = {
      database: await check(() => this.pool.query('select 1')),
      eventStore: await check(() => this.store.headPosition()),
    };
    const ok = Object.values(checks).every((c) => c === 'ok');
    if (!ok) {
      reply.status(503).header('content-type', PROBLEM_CONTENT_TYPE);
      return { ...problem(503, 'NOT_READY', 'A dependency is not answering'), checks };
    }
    return { status: 'ok', checks };
  }
}

async function check(probe: () => Promise<unknown>): Promise<'ok' | 'failing'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch {
    return 'failing';
  } finally {
    clearTimeout(timer);
  }
}
