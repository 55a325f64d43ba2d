import { assertValidStreamName, InvalidStreamNameError, type EventStore } from '@ect/event-store';
import { AuditInputError, parseInstant, toAuditEvent, type AuditEvent } from './audit-event';

/** Which events of a stream to show: recorded from/to (both inclusive) and of which types (any when empty). */
export interface HistoryFilter {
  from?: Date;
  to?: Date;
  types?: string[];
}

/** The filter from its text form (CLI options, HTTP query): dates in ISO 8601, types as a list or comma-separated. */
export function historyFilter(input: { from?: string; to?: string; type?: string | string[] }): HistoryFilter {
  const filter: HistoryFilter = {};
  if (input.from) filter.from = parseInstant(input.from, 'from');
  if (input.to) filter.to = parseInstant(input.to, 'to');
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new AuditInputError('VALIDATION_FAILED', 'from must not be after to', 'from');
  }
  const types = (Array.isArray(input.type) ? input.type : input.type ? [input.type] : []).flatMap((t) => t.split(','));
  const cleaned = types.map((t) => t.trim()).filter(Boolean);
  if (cleaned.length > 0) filter.types = cleaned;
  return filter;
}

/**
 * Every event of one stream, in version order, that passes the filter. An unknown stream (no events at all) is
 * STREAM_NOT_FOUND, unlike a known stream whose events the filter leaves out (an empty list).
 */
export async function streamHistory(store: EventStore, stream: string, filter: HistoryFilter = {}): Promise<AuditEvent[]> {
  assertAuditableStream(stream);
  const events = await store.readStream(stream);
  if (events.length === 0) throw new AuditInputError('STREAM_NOT_FOUND', `No events are recorded in stream ${stream}`, 'stream');
  return events
    .filter((e) => (!filter.from || e.recordedAt >= filter.from) && (!filter.to || e.recordedAt <= filter.to))
    .filter((e) => !filter.types || filter.types.includes(e.type))
    .map(toAuditEvent);
}

export function assertAuditableStream(stream: string): void {
  try {
    assertValidStreamName(stream);
  } catch (error) {
    if (error instanceof InvalidStreamNameError) {
      throw new AuditInputError('VALIDATION_FAILED', `${JSON.stringify(stream)} is not a stream name (<category>-<id>, e.g. school-100001)`, 'stream');
    }
    throw error;
  }
}
