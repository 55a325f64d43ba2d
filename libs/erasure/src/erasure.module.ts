import { Module } from '@nestjs/common';
import { ErasureController } from './erasure.controller';

/** Nest wiring of erasure; the event store (EVENT_STORE) is the runtime's EncryptingEventStore. */
@Module({ controllers: [ErasureController] })
export class ErasureModule {}
