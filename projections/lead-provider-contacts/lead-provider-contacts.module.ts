import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@ect/nest-kit';
import { createPositionWaiter, type PositionWaiter } from '@ect/projection-runtime';
import { CONTACTS_POSITION_WAITER, LeadProviderContactsController } from './lead-provider-contacts.controller';

/** GET /v1/lead-providers/{id}/contacts (the projector fills the table it reads). */
@Module({
  controllers: [LeadProviderContactsController],
  providers: [{ provide: CONTACTS_POSITION_WAITER, inject: [PG_POOL], useFactory: (pool: Pool) => createPositionWaiter(pool) }],
})
export class LeadProviderContactsModule implements OnModuleDestroy {
  constructor(@Inject(CONTACTS_POSITION_WAITER) private readonly waiter: PositionWaiter) {}

  onModuleDestroy(): void {
    this.waiter.close();
  }
}
