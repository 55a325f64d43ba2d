import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ContractPeriodCalendar } from '@ect/contract-periods';
import { CONTRACT_PERIODS, Roles, STREAM_KEYS, validate, type StreamKeys } from '@ect/nest-kit';
import * as api from './audit.api';
import type { AuditSource } from './audit-source';
import { historyFilter, streamHistory } from './history';
import { schoolStateAsOf, teacherStateAsOf } from './state-as-of';
import { verifyChains } from './verify';

export const AUDIT_SOURCE = Symbol('AUDIT_SOURCE');

/** HTTP adapter for auditors: validates, then calls the same functions as the audit CLI. Reads only. */
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(AUDIT_SOURCE) private readonly source: AuditSource,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(CONTRACT_PERIODS) private readonly calendar: ContractPeriodCalendar,
  ) {}

  @Get('streams/:stream')
  @Roles('auditor')
  async history(@Param() params: unknown, @Query() query: unknown) {
    const { stream } = validate<{ stream: string }>(api.streamParam, params, 'path');
    const q = validate<{ from?: string; to?: string; type?: string }>(api.historyQuery, { ...(query as object) }, 'query');
    return { stream, events: await streamHistory(this.source.store, stream, historyFilter(q)) };
  }

  @Get('schools/:urn/state')
  @Roles('auditor')
  schoolState(@Param() params: unknown, @Query() query: unknown) {
    const { urn } = validate<{ urn: string }>(api.urnParam, params, 'path');
    const { asOf } = validate<{ asOf: string }>(api.asOfQuery, { ...(query as object) }, 'query');
    return schoolStateAsOf(this.source.store, this.calendar, urn, new Date(asOf));
  }

  @Get('teachers/:trn/state')
  @Roles('auditor')
  teacherState(@Param() params: unknown, @Query() query: unknown) {
    const { trn } = validate<{ trn: string }>(api.trnParam, params, 'path');
    const { asOf } = validate<{ asOf: string }>(api.asOfQuery, { ...(query as object) }, 'query');
    return teacherStateAsOf(this.source.store, this.keys.secret, trn, new Date(asOf));
  }

  @Post('verify')
  @HttpCode(200)
  @Roles('auditor')
  verify(@Req() req: FastifyRequest) {
    const body = validate<{ stream?: string }>(api.verifyBody, req.body ?? {}, 'body');
    return verifyChains(this.source, { stream: body.stream });
  }
}
