import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { isoDate } from '@ect/contract-periods';
import { APP_CONFIG, callerOf, CLOCK, PG_POOL, problem, ProblemError, Roles, validate, type Clock } from '@ect/nest-kit';
import type { AppConfig } from '@ect/platform';
import type { PositionWaiter } from '@ect/projection-runtime';
import { contactsPath, contactsQuery } from './lead-provider-contacts.api';
import { reviewAllDueContacts } from './contact-review';
import { LEAD_PROVIDER_CONTACTS } from './lead-provider-contacts.projection';
import { leadProviderContacts } from './lead-provider-contacts.query';

export const CONTACTS_POSITION_WAITER = Symbol('CONTACTS_POSITION_WAITER');

/** HTTP twin of the contact feed, for lead providers that cannot use Kafka. */
@Controller('v1')
export class LeadProviderContactsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONTACTS_POSITION_WAITER) private readonly waiter: PositionWaiter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('lead-providers/:id/contacts')
  @Roles('lead-provider')
  async contacts(@Req() req: FastifyRequest, @Param() params: unknown, @Query() query: unknown) {
    const { id } = validate<{ id: string }>(contactsPath, params, 'path');
    const q = validate<{ after?: string; page?: string; pageSize?: string }>(contactsQuery, { ...(query as object) }, 'query');
    if (callerOf(req).leadProviderId !== id) {
      throw new ProblemError(problem(403, 'FORBIDDEN', 'A lead provider may read only its own contacts (token claim leadProviderId)'));
    }
    if (q.after !== undefined) await this.waiter.waitForPosition([LEAD_PROVIDER_CONTACTS], BigInt(q.after), this.config.readYourWritesTimeoutMs);
    // A period may have started (or a last day passed) since the last review: apply what is due before answering.
    await reviewAllDueContacts(this.pool, isoDate(this.clock.now()));
    return leadProviderContacts(this.pool, id, Number(q.page ?? 1), Number(q.pageSize ?? 50));
  }
}
