import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CommandRunner } from '@ect/command-runner';
import { AuthGuard } from './auth';
import { CommandEndpoint } from './command-endpoint';
import { ProblemFilter } from './problem.filter';
import type { Runtime } from './runtime';
import { APP_CONFIG, AUTH_SECRET, CLOCK, COMMAND_RUNNER, CONTRACT_PERIODS, EVENT_STORE, PG_POOL, STREAM_KEYS } from './tokens';

/** Provides the runtime's shared pieces to every module, plus the auth guard and the problem filter. */
@Global()
@Module({})
export class InfrastructureModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: runtime.config },
      { provide: PG_POOL, useValue: runtime.pool },
      { provide: EVENT_STORE, useValue: runtime.eventStore },
      { provide: CLOCK, useValue: runtime.clock },
      { provide: AUTH_SECRET, useValue: runtime.authSecret },
      { provide: STREAM_KEYS, useValue: { secret: runtime.streamKeySecret } },
      { provide: CONTRACT_PERIODS, useValue: runtime.calendar },
      { provide: COMMAND_RUNNER, useValue: new CommandRunner(runtime.eventStore, { newId: runtime.newId }) },
      CommandEndpoint,
    ];
    return {
      module: InfrastructureModule,
      providers: [...providers, { provide: APP_GUARD, useClass: AuthGuard }, { provide: APP_FILTER, useClass: ProblemFilter }],
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}
