import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandRunner } from '@ect/command-runner';
import { COMMAND_RUNNER, CommandEndpoint, EVENT_STORE, Roles, validate } from '@ect/nest-kit';
import type { EncryptingEventStore } from '@ect/personal-data';
import { eraseSubject, type ErasureRequest } from './erase-subject';
import { erasureBody } from './erasure.api';

/** HTTP adapter of erasure (role `data-protection`): validates, then calls the same function as the audit CLI. */
@Controller('v1/erasures')
export class ErasureController {
  constructor(
    private readonly endpoint: CommandEndpoint,
    @Inject(EVENT_STORE) private readonly store: EncryptingEventStore,
    @Inject(COMMAND_RUNNER) private readonly runner: CommandRunner,
  ) {}

  @Post()
  @Roles('data-protection')
  erase(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { subject } = validate<{ subject: ErasureRequest }>(erasureBody, req.body, 'body');
    return this.endpoint.handle(req, reply, {
      actingUser: 'none',
      run: async (context) => {
        const result = await eraseSubject(this.store, this.runner, subject, context);
        return { streamVersion: result.streamVersion, position: result.position, eventIds: result.eventIds, status: result.eventIds.length > 0 ? 201 : 200 };
      },
    });
  }
}
