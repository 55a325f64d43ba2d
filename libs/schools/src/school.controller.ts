import { Controller, Delete, Get, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandContext, CommandResult, LoadedStream } from '@ect/command-runner';
import { CLOCK, CommandEndpoint, etag, Roles, validate, type Clock, type CommandOutcome } from '@ect/nest-kit';
import * as api from './school.api';
import type { SchoolCommand } from './school.commands';
import { schoolNotFound } from './school.errors';
import type { SchoolEvent } from './school.events';
import { ExecuteSchoolCommand, LoadSchool } from './school.handlers';
import type { SchoolState } from './school.state';
import { toSchoolView } from './school.view';

type Data<T extends SchoolCommand['type']> = Extract<SchoolCommand, { type: T }>['data'];

/** HTTP adapter for the school stream: validates, builds commands, dispatches. No rules here. */
@Controller('v1/schools')
export class SchoolController {
  constructor(
    private readonly endpoint: CommandEndpoint,
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Put(':urn')
  @Roles('reference-data')
  recordDetails(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn } = validate<{ urn: string }>(api.urnParam, params, 'path');
    const body = validate<Omit<Data<'RecordSchoolDetails'>, 'urn'>>(api.schoolDetailsBody, req.body, 'body');
    const data = { urn, ...body, primaryContactEmail: body.primaryContactEmail ?? null, secondaryContactEmail: body.secondaryContactEmail ?? null };
    return this.endpoint.handle(req, reply, {
      actingUser: 'none',
      run: async (context) => {
        const result = await this.run(urn, 'RecordSchoolDetails', data, context);
        const first = result.events.length > 0 && result.streamVersion === result.events.length - 1;
        return outcome(result, first ? 201 : 200);
      },
    });
  }

  @Post(':urn/users')
  @Roles('identity-sync')
  linkUser(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn } = validate<{ urn: string }>(api.urnParam, params, 'path');
    const body = validate<Data<'LinkUserToSchool'>>(api.linkUserBody, req.body, 'body');
    return this.endpoint.handle(req, reply, {
      actingUser: 'none',
      run: async (context) => {
        const result = await this.run(urn, 'LinkUserToSchool', body, context);
        return outcome(result, result.events.some((e) => e.type === 'UserLinkedToSchool') ? 201 : 200);
      },
    });
  }

  @Delete(':urn/users/:userId')
  @Roles('identity-sync')
  unlinkUser(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn, userId } = validate<{ urn: string; userId: string }>(api.userParams, params, 'path');
    return this.endpoint.handle(req, reply, {
      actingUser: 'none',
      run: async (context) => outcome(await this.run(urn, 'UnlinkUserFromSchool', { userId }, context)),
    });
  }

  @Put(':urn/induction-tutor')
  @Roles('school-commands')
  nominateInductionTutor(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn } = validate<{ urn: string }>(api.urnParam, params, 'path');
    const body = validate<Data<'NominateInductionTutor'>>(api.inductionTutorBody, req.body, 'body');
    return this.endpoint.handle(req, reply, {
      actingUser: 'required',
      run: async (context) => outcome(await this.run(urn, 'NominateInductionTutor', body, context)),
    });
  }

  @Put(':urn/partnerships/:contractPeriod')
  @Roles('partnerships')
  confirmPartnership(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn, contractPeriod } = validate<{ urn: string; contractPeriod: string }>(api.partnershipParams, params, 'path');
    const body = validate<{ leadProviderId: string; deliveryPartnerId: string }>(api.partnershipBody, req.body, 'body');
    return this.endpoint.handle(req, reply, {
      actingUser: 'none',
      run: async (context) => outcome(await this.run(urn, 'ConfirmPartnership', { contractPeriod: Number(contractPeriod), ...body }, context)),
    });
  }

  @Delete(':urn/partnerships/:contractPeriod')
  @Roles('partnerships')
  endPartnership(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn, contractPeriod } = validate<{ urn: string; contractPeriod: string }>(api.partnershipParams, params, 'path');
    return this.endpoint.handle(req, reply, {
      actingUser: 'none',
      run: async (context) => outcome(await this.run(urn, 'EndPartnership', { contractPeriod: Number(contractPeriod) }, context)),
    });
  }

  @Get(':urn/stream-state')
  @Roles('reader')
  async streamState(@Res({ passthrough: true }) reply: FastifyReply, @Param() params: unknown) {
    const { urn } = validate<{ urn: string }>(api.urnParam, params, 'path');
    const loaded = await this.queryBus.execute<LoadSchool, LoadedStream<SchoolState>>(new LoadSchool(urn));
    const view = toSchoolView(loaded.state);
    if (!view) throw schoolNotFound();
    reply.header('etag', etag(loaded.version));
    return { streamVersion: loaded.version, position: loaded.lastPosition?.toString() ?? null, school: view };
  }

  private run<T extends SchoolCommand['type']>(urn: string, type: T, data: Data<T>, context: CommandContext) {
    const command = { type, data, metadata: { now: this.clock.now().toISOString(), actingUserId: context.actingUserId } } as SchoolCommand;
    return this.commandBus.execute<ExecuteSchoolCommand, CommandResult<SchoolEvent, SchoolState>>(new ExecuteSchoolCommand(urn, command, context));
  }
}

function outcome(result: CommandResult<SchoolEvent, SchoolState>, status: 200 | 201 = 200): CommandOutcome {
  return { streamVersion: result.streamVersion, position: result.position, eventIds: result.eventIds, status };
}
