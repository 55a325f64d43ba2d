import { Controller, Get, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type LoadedStream } from '@ect/command-runner';
import { isoDate } from '@ect/contract-periods';
import { CLOCK, CommandEndpoint, etag, Roles, validate, type Clock, type CommandOutcome } from '@ect/nest-kit';
import * as api from './teacher.api';
import { ExecuteTeacherRequest, LoadTeacher } from './teacher.handlers';
import type { TeacherRequest } from './teacher.requests';
import type { TeacherState } from './teacher.state';
import { normaliseTrn } from './teacher.trn';
import { toTeacherView } from './teacher.view';

type Input<T extends TeacherRequest['type']> = Extract<TeacherRequest, { type: T }>['input'];

/** HTTP adapter for ECT and mentor registration: validates shapes, dispatches. No rules here. */
@Controller('v1')
export class TeacherController {
  constructor(
    private readonly endpoint: CommandEndpoint,
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('schools/:urn/ects')
  @Roles('school-commands')
  registerEct(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn } = validate<{ urn: string }>(api.urnParam, params, 'path');
    const input = validate<Input<'RegisterECT'>>(api.registerEctBody, req.body, 'body');
    return this.dispatch(req, reply, { type: 'RegisterECT', urn, input });
  }

  @Post('schools/:urn/mentors')
  @Roles('school-commands')
  registerMentor(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn } = validate<{ urn: string }>(api.urnParam, params, 'path');
    const input = validate<Input<'RegisterMentor'>>(api.registerMentorBody, req.body, 'body');
    return this.dispatch(req, reply, { type: 'RegisterMentor', urn, input });
  }

  @Put('schools/:urn/ects/:trn/mentor')
  @Roles('school-commands')
  assignMentor(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn, trn } = validate<{ urn: string; trn: string }>(api.teacherParams, params, 'path');
    const input = validate<Input<'AssignMentorToECT'>>(api.assignMentorBody, req.body, 'body');
    return this.dispatch(req, reply, { type: 'AssignMentorToECT', urn, trn, input });
  }

  @Post('schools/:urn/ects/:trn/leaving')
  @Roles('school-commands')
  ectLeaving(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn, trn } = validate<{ urn: string; trn: string }>(api.teacherParams, params, 'path');
    const input = validate<Input<'ReportECTLeaving'>>(api.leavingBody, req.body, 'body');
    return this.dispatch(req, reply, { type: 'ReportECTLeaving', urn, trn, input });
  }

  @Post('schools/:urn/mentors/:trn/leaving')
  @Roles('school-commands')
  mentorLeaving(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn, trn } = validate<{ urn: string; trn: string }>(api.teacherParams, params, 'path');
    const input = validate<Input<'ReportMentorLeaving'>>(api.leavingBody, req.body, 'body');
    return this.dispatch(req, reply, { type: 'ReportMentorLeaving', urn, trn, input });
  }

  @Put('schools/:urn/ects/:trn/lead-provider')
  @Roles('school-commands')
  changeLeadProvider(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn, trn } = validate<{ urn: string; trn: string }>(api.teacherParams, params, 'path');
    const input = validate<Input<'ChangeECTLeadProvider'>>(api.leadProviderBody, req.body, 'body');
    return this.dispatch(req, reply, { type: 'ChangeECTLeadProvider', urn, trn, input });
  }

  @Get('teachers/:trn/stream-state')
  @Roles('reader')
  async streamState(@Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { trn } = validate<{ trn: string }>(api.trnParam, params, 'path');
    const loaded = await this.queryBus.execute<LoadTeacher, LoadedStream<TeacherState>>(new LoadTeacher(normaliseTrn(trn)));
    if (loaded.version === null) throw new DomainError('TEACHER_NOT_FOUND', 'not-found', 'No ECT or mentor registration is recorded for this TRN');
    reply.header('etag', etag(loaded.version));
    return { streamVersion: loaded.version, position: loaded.lastPosition?.toString() ?? null, teacher: toTeacherView(loaded.state, isoDate(this.clock.now())) };
  }

  private dispatch(req: FastifyRequest, reply: FastifyReply, request: TeacherRequest) {
    return this.endpoint.handle(req, reply, {
      actingUser: 'required',
      run: (context) => this.commandBus.execute<ExecuteTeacherRequest, CommandOutcome>(new ExecuteTeacherRequest(request, context)),
    });
  }
}
