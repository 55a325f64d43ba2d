import { EventTooLargeError, InvalidEventError, InvalidStreamNameError } from './event-store.errors';
import type { ExpectedVersion, NewEvent } from './event-store.port';

/** Largest serialised event (data + metadata) either adapter accepts: 64 KiB, far above any domain event here. */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Most events one append may carry. */
export const MAX_EVENTS_PER_APPEND = 100;

/**
 * Stream names are `<category>-<id>`: a lower-case category, a dash, then letters, digits, `-`, `_` or `.`
 * (at most 200 characters). `$` prefixes are EventStoreDB system streams and are refused.
 */
const STREAM_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*-[A-Za-z0-9][A-Za-z0-9._-]{0,190}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.]{0,99}$/;

export function assertValidStreamName(streamName: string): void {
  if (typeof streamName !== 'string' || !STREAM_NAME.test(streamName)) {
    throw new InvalidStreamNameError(String(streamName), 'expected <category>-<id>, e.g. school-100001');
  }
}

export function streamCategory(streamName: string): string {
  return streamName.slice(0, streamName.indexOf('-'));
}

export function assertValidExpectedVersion(expected: ExpectedVersion): void {
  if (expected.kind === 'exact' && (!Number.isSafeInteger(expected.version) || expected.version < 0)) {
    throw new InvalidEventError(`Expected version must be a whole number from 0, got ${expected.version}`);
  }
}

/** Validates a batch and returns each event's serialised data and metadata (adapters store these strings). */
export function validateNewEvents(events: NewEvent[]): { data: string; metadata: string }[] {
  if (!Array.isArray(events) || events.length === 0) throw new InvalidEventError('An append needs at least one event');
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidEventError(`An append may carry at most ${MAX_EVENTS_PER_APPEND} events, got ${events.length}`);
  }
  const seen = new Set<string>();
  return events.map((event) => {
    if (!event || typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
      throw new InvalidEventError(`Event id must be a UUID, got ${JSON.stringify(event?.eventId)}`);
    }
    if (seen.has(event.eventId.toLowerCase())) throw new InvalidEventError(`Event id ${event.eventId} appears twice in one append`);
    seen.add(event.eventId.toLowerCase());
    if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type)) {
      throw new InvalidEventError(`Event type must be a name like UserLinkedToSchool, got ${JSON.stringify(event.type)}`);
    }
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new InvalidEventError(`Schema version of ${event.type} must be a whole number from 1`);
    }
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new InvalidEventError(`Data of ${event.type} must be a JSON object`);
    }
    const metadata = event.metadata;
    if (!metadata || typeof metadata.correlationId !== 'string' || typeof metadata.actingService !== 'string') {
      throw new InvalidEventError(`Metadata of ${event.type} needs correlationId and actingService`);
    }
    const data = JSON.stringify(event.data);
    const meta = JSON.stringify(metadata);
    const bytes = Buffer.byteLength(data) + Buffer.byteLength(meta);
    if (bytes > MAX_EVENT_BYTES) throw new EventTooLargeError(event.type, bytes, MAX_EVENT_BYTES);
    return { data, metadata: meta };
  });
}

export function matchesPrefixes(streamName: string, prefixes?: string[]): boolean {
  return !prefixes || prefixes.length === 0 || prefixes.some((p) => streamName.startsWith(p));
}
