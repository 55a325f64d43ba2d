export * from './event-store.port';
export * from './event-store.errors';
export {
  MAX_EVENT_BYTES,
  MAX_EVENTS_PER_APPEND,
  assertValidStreamName,
  streamCategory,
} from './event-store.validation';
export { PostgresEventStore, isConnectionError } from './postgres/pg-event-store';
export { eventStoreMigrations } from './postgres/pg-event-store.migrations';
export { EventStoreDbEventStore } from './eventstoredb/esdb-event-store';
export {
  HASH_FORMAT_VERSION,
  canonicalEventText,
  canonicalTime,
  chainHashes,
  eventHash,
  jsonbText,
  numericText,
  type HashedEventContent,
} from './hash-chain';
