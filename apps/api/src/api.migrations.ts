import type { Migration } from '@ect/platform';
import { projectionMigrations } from '@ect/projection-runtime';
import { allProjectionDefinitions } from '@ect-projections';

/** Migrations of the modules the API wires, beyond the event store's and the idempotency keys': the read models. */
export const apiMigrations: Migration[] = [...projectionMigrations(allProjectionDefinitions)];
