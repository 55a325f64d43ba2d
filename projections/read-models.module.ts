import { Module, type OnModuleDestroy, Inject } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@ect/nest-kit';
import { createPositionWaiter, type PositionWaiter } from '@ect/projection-runtime';
import { POSITION_WAITER, ReadModelsController } from './read-models.controller';

/** Queries of the read models (the projector fills them). */
@Module({
  controllers: [ReadModelsController],
  providers: [{ provide: POSITION_WAITER, inject: [PG_POOL], useFactory: (pool: Pool) => createPositionWaiter(pool) }],
})
export class ReadModelsModule implements OnModuleDestroy {
  constructor(@Inject(POSITION_WAITER) private readonly waiter: PositionWaiter) {}

  onModuleDestroy(): void {
    this.waiter.close();
  }
}
