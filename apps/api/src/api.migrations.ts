import type { Migration } from '@ect/platform';

/** Migrations of the modules the API wires, beyond the event store's and the idempotency keys'. */
export const apiMigrations: Migration[] = [];
