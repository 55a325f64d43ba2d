import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import type { EventStore } from '@ect/event-store';
import { APP_CONFIG, EVENT_STORE, PG_POOL } from '@ect/nest-kit';
import type { AppConfig } from '@ect/platform';
import { postgresAuditSource, type AuditSource } from './audit-source';
import { AUDIT_SOURCE, AuditController } from './audit.controller';

/** Nest wiring of the audit capability (role `auditor`). */
@Module({
  controllers: [AuditController],
  providers: [
    {
      provide: AUDIT_SOURCE,
      inject: [APP_CONFIG, EVENT_STORE, PG_POOL],
      useFactory: (config: AppConfig, store: EventStore, pool: Pool): AuditSource =>
        config.eventStore === 'postgres' ? postgresAuditSource(store, pool) : { store },
    },
  ],
})
export class AuditModule {}
