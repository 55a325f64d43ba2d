import type { JSONRecordedEvent, Position } from '@eventstore/db-client';
import { anEvent } from '../contract/event-store.contract';
import { InvalidEventError } from '../event-store.errors';
import { START } from '../event-store.port';
import { decodeForReader, decodeRecordedEvent, encodeEvent, isAfter, toGlobalPosition, toReadPosition, type ChainFields } from './esdb-codec';

/** A record as the client hands it over after reading what `encodeEvent` wrote (it JSON-encodes and parses both parts). */
function recordOf(event = anEvent(), overrides: Partial<JSONRecordedEvent> = {}, chain?: ChainFields): JSONRecordedEvent {
  const written = encodeEvent(event, chain);
  return {
    streamId: 'school-100001',
    id: written.id,
    isJson: true,
    revision: 3n,
    type: written.type,
    created: new Date('2025-09-01T10:00:00Z'),
    data: JSON.parse(JSON.stringify(written.data)),
    metadata: JSON.parse(JSON.stringify(written.metadata)),
    position: { commit: 4242n, prepare: 4242n },
    ...overrides,
  } as JSONRecordedEvent;
}

describe('EventStoreDB codec: metadata', () => {
  describe('when an event is encoded', () => {
    it('keeps the port metadata and adds the schema version and EventStoreDB correlation keys', () => {
      const event = { ...anEvent(), schemaVersion: 2, metadata: { ...anEvent().metadata, causationId: 'c-1', chain: 'abc' } };
      const written = encodeEvent(event);
      expect(written).toMatchObject({ id: event.eventId, type: event.type, contentType: 'application/json', data: event.data });
      expect(written.metadata).toEqual({
        ...event.metadata,
        schemaVersion: 2,
        $correlationId: event.metadata.correlationId,
        $causationId: 'c-1',
      });
    });

    it('refuses metadata that uses a key the adapter reserves', () => {
      const event = anEvent();
      expect(() => encodeEvent({ ...event, metadata: { ...event.metadata, schemaVersion: 9 } })).toThrow(InvalidEventError);
    });
  });

  describe('when a record written by the adapter is decoded', () => {
    it('gives back the metadata verbatim, the schema version, the version, the position and the recorded time', () => {
      const event = { ...anEvent('UserLinkedToSchool', { urn: '100001' }), schemaVersion: 3 };
      event.metadata.extra = { nested: [1, 2] };
      const stored = decodeRecordedEvent(recordOf(event));
      expect(stored).toEqual({
        eventId: event.eventId,
        streamName: 'school-100001',
        streamVersion: 3,
        globalPosition: 4242n,
        type: 'UserLinkedToSchool',
        schemaVersion: 3,
        data: { urn: '100001' },
        metadata: event.metadata,
        recordedAt: new Date('2025-09-01T10:00:00Z'),
        hash: null,
        prevHash: null,
      });
    });
  });

  describe('when an event is encoded with its chain fields', () => {
    const chain = { hash: 'b'.repeat(64), prevHash: 'a'.repeat(64), recordedAt: new Date('2026-02-03T04:05:06.789Z') };

    it('stores them in the metadata, and a reader gets them back as the stored event\'s hash, prevHash and recordedAt', () => {
      const event = anEvent();
      expect(encodeEvent(event, chain).metadata).toMatchObject({ hash: chain.hash, prevHash: chain.prevHash, recordedAt: '2026-02-03T04:05:06.789Z' });
      const stored = decodeRecordedEvent(recordOf(event, {}, chain));
      expect(stored).toMatchObject({ hash: chain.hash, prevHash: chain.prevHash, recordedAt: chain.recordedAt, metadata: event.metadata });
    });

    it('refuses metadata that uses a chain key itself', () => {
      for (const key of ['hash', 'prevHash', 'recordedAt']) {
        const event = anEvent();
        expect(() => encodeEvent({ ...event, metadata: { ...event.metadata, [key]: 'x' } })).toThrow(InvalidEventError);
      }
    });
  });

  describe('when a record was not written by the adapter', () => {
    it('refuses one without a schema version instead of skipping it', () => {
      expect(() => decodeRecordedEvent(recordOf(anEvent(), { metadata: { correlationId: 'x' } }))).toThrow(/schema version/);
    });

    it('refuses one whose data is not a JSON object', () => {
      expect(() => decodeRecordedEvent(recordOf(anEvent(), { data: 'text' }))).toThrow(/JSON object/);
    });
  });

  describe('when a $all reader meets records', () => {
    it('passes over system streams, system event types and streams outside its prefixes', () => {
      expect(decodeForReader({ event: recordOf(anEvent(), { streamId: '$stats-127.0.0.1:2113' }) })).toBeNull();
      expect(decodeForReader({ event: recordOf(anEvent(), { type: '$streamDeleted' }) })).toBeNull();
      expect(decodeForReader({ event: recordOf() }, ['teacher-'])).toBeNull();
      expect(decodeForReader({ event: recordOf() }, ['teacher-', 'school-'])?.streamName).toBe('school-100001');
    });
  });
});

describe('EventStoreDB codec: positions', () => {
  describe('given an event of a gRPC append (self-committed: commit = prepare)', () => {
    it('maps it to its commit position', () => {
      expect(toGlobalPosition({ commit: 123n, prepare: 123n }, 'e')).toBe(123n);
    });
  });

  describe('given an event of an explicit transaction (its commit position shared with its siblings)', () => {
    it('refuses to give it a position that could skip the siblings on resume', () => {
      expect(() => toGlobalPosition({ commit: 900n, prepare: 700n }, 'e')).toThrow(/explicit transaction/);
    });
  });

  describe('given a server that reports no position (stream reads before 22.6)', () => {
    it('says which version is needed', () => {
      expect(() => toGlobalPosition(undefined, 'e')).toThrow(/22\.6/);
      expect(() => toGlobalPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n }, 'e')).toThrow(/22\.6/);
    });
  });

  describe('when a reader resumes after a checkpoint', () => {
    it('starts at the beginning for START and at (g, g) otherwise', () => {
      expect(toReadPosition(START)).toBe('start');
      expect(toReadPosition(500n)).toEqual({ commit: 500n, prepare: 500n });
    });

    it('orders positions by commit, then prepare, so only events after the checkpoint count', () => {
      const from: Position = { commit: 500n, prepare: 500n };
      expect(isAfter({ commit: 500n, prepare: 500n }, from)).toBe(false);
      expect(isAfter({ commit: 499n, prepare: 499n }, from)).toBe(false);
      expect(isAfter({ commit: 501n, prepare: 501n }, from)).toBe(true);
      expect(isAfter({ commit: 600n, prepare: 450n }, from)).toBe(true);
    });
  });
});
