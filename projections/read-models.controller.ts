import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { DomainError } from '@ect/command-runner';
import { isoDate } from '@ect/contract-periods';
import { APP_CONFIG, callerOf, CLOCK, fields, PG_POOL, Roles, STREAM_KEYS, validate, validationFailed, type Clock, type StreamKeys } from '@ect/nest-kit';
import type { AppConfig } from '@ect/platform';
import type { PositionWaiter } from '@ect/projection-runtime';
import { schoolNotFound, userNotLinked } from '@ect/schools';
import { normaliseTrn, teacherKey } from '@ect/teachers';
import * as api from './read-models.api';
import { SCHOOL_OVERVIEW } from './school-overview/school-overview.projection';
import { isLinkedInOverview, schoolOverview } from './school-overview/school-overview.query';
import { TEACHER_HISTORY } from './teacher-history/teacher-history.projection';
import { teacherHistory } from './teacher-history/teacher-history.query';

export const POSITION_WAITER = Symbol('POSITION_WAITER');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** HTTP adapter of the read models: thin queries, with read-your-writes through `?after=`. */
@Controller('v1')
export class ReadModelsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(POSITION_WAITER) private readonly waiter: PositionWaiter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('schools/:urn')
  @Roles('reader', 'school-commands')
  async school(@Req() req: FastifyRequest, @Param() params: unknown, @Query() query: unknown) {
    const { urn } = validate<{ urn: string }>({ type: 'object', required: ['urn'], properties: { urn: fields.urn } }, params, 'path');
    const q = validate<{ after?: string; ectsPage?: string; mentorsPage?: string; pageSize?: string }>(api.schoolQuery, { ...(query as object) }, 'query');
    await this.catchUp(SCHOOL_OVERVIEW, q.after);
    const caller = callerOf(req);
    if (!caller.roles.includes('reader')) {
      const actingUser = req.headers['x-acting-user-id'];
      if (typeof actingUser !== 'string' || !UUID.test(actingUser)) {
        throw validationFailed([{ field: 'x-acting-user-id', message: 'is required: the DfE Sign-in id of the user this is done for' }]);
      }
      if (!(await isLinkedInOverview(this.pool, urn, actingUser))) throw userNotLinked('forbidden');
    }
    const pageSize = Number(q.pageSize ?? 50);
    const overview = await schoolOverview(this.pool, urn, this.today(), { page: Number(q.ectsPage ?? 1), pageSize }, { page: Number(q.mentorsPage ?? 1), pageSize });
    if (!overview) throw schoolNotFound();
    return overview;
  }

  @Get('teachers/:trn')
  @Roles('reader')
  async teacher(@Param() params: { trn?: string }, @Query() query: unknown) {
    const q = validate<{ after?: string }>(api.teacherQuery, { ...(query as object) }, 'query');
    const trn = normaliseTrn(String(params.trn ?? ''));
    await this.catchUp(TEACHER_HISTORY, q.after);
    const history = await teacherHistory(this.pool, teacherKey(trn, this.keys.secret), this.today());
    if (!history) throw new DomainError('TEACHER_NOT_FOUND', 'not-found', 'No ECT or mentor registration is recorded for this TRN');
    return history;
  }

  private async catchUp(projection: string, after: string | undefined): Promise<void> {
    if (after !== undefined) await this.waiter.waitForPosition([projection], BigInt(after), this.config.readYourWritesTimeoutMs);
  }

  private today(): string {
    return isoDate(this.clock.now());
  }
}
