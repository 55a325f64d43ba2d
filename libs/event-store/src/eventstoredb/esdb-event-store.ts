// Placeholder replaced by the EventStoreDB adapter.
export class EventStoreDbEventStore {}
