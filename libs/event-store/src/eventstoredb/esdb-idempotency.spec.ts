import { WrongExpectedVersionError as EsdbWrongExpectedVersionError } from '@eventstore/db-client';
import { EventIdConflictError, EventStoreUnavailableError } from '../event-store.errors';
import { actualVersionOf, translateError } from './esdb-errors';
import { ExpectedVersion } from '../event-store.port';
import { expectedRevision, findOriginalAppend, RecentEventIds, type StreamEntry } from './esdb-idempotency';

const entry = (id: string, revision: bigint): StreamEntry => ({ id, revision, position: { commit: 1000n + revision, prepare: 1000n + revision }, hash: null });
const stream = [entry('a', 0n), entry('b', 1n), entry('c', 2n), entry('d', 3n)];

describe('EventStoreDB idempotency: finding an earlier append in the stream', () => {
  describe('given none of the ids is stored', () => {
    it('finds nothing, so the append goes ahead', () => {
      expect(findOriginalAppend(stream, ['x', 'y'], ['x', 'y'])).toBeNull();
    });
  });

  describe('given all ids are stored as one run, with later events after them', () => {
    it('answers as the original append did: version and position of its last event, ids as given', () => {
      expect(findOriginalAppend(stream, ['b', 'c'], ['B', 'C'])).toEqual({ nextExpectedVersion: 2, lastPosition: 1002n, eventIds: ['B', 'C'] });
    });
  });

  describe('given stored ids written in upper case', () => {
    it('matches them regardless of case', () => {
      expect(findOriginalAppend([entry('A', 0n)], ['a'], ['a'])?.nextExpectedVersion).toBe(0);
    });
  });

  describe('given only some of the ids are stored', () => {
    it('refuses the append as a conflict', () => {
      expect(() => findOriginalAppend(stream, ['c', 'x'], ['c', 'x'])).toThrow(EventIdConflictError);
    });
  });

  describe('given the ids are stored in another order or apart', () => {
    it('refuses the append as a conflict', () => {
      expect(() => findOriginalAppend(stream, ['c', 'b'], ['c', 'b'])).toThrow(EventIdConflictError);
      expect(() => findOriginalAppend(stream, ['a', 'c'], ['a', 'c'])).toThrow(EventIdConflictError);
    });
  });
});

describe('EventStoreDB idempotency: ids recently appended by this process', () => {
  describe('given an id appended to one stream', () => {
    it('refuses it in another stream and accepts it in the same one', () => {
      const recent = new RecentEventIds(10);
      recent.remember(['a'], 'school-1');
      expect(() => recent.assertNotElsewhere(['a'], 'school-2')).toThrow(EventIdConflictError);
      expect(() => recent.assertNotElsewhere(['a'], 'school-1')).not.toThrow();
    });
  });

  describe('given more ids than it may remember', () => {
    it('forgets the oldest first', () => {
      const recent = new RecentEventIds(2);
      recent.remember(['a', 'b'], 'school-1');
      recent.remember(['c'], 'school-1');
      expect(() => recent.assertNotElsewhere(['a'], 'school-2')).not.toThrow();
      expect(() => recent.assertNotElsewhere(['b'], 'school-2')).toThrow(EventIdConflictError);
    });
  });
});

describe('EventStoreDB idempotency: the expected revision sent to the server', () => {
  describe('given "no stream" or an exact version that the read agrees with', () => {
    it('sends it as it is, and a conflict is the caller\'s', () => {
      expect(expectedRevision(ExpectedVersion.noStream, null)).toEqual({ revision: 'no_stream', chosenHere: false });
      expect(expectedRevision(ExpectedVersion.exact(4), 4n)).toEqual({ revision: 4n, chosenHere: false });
    });
  });

  describe('given "no stream" or an exact version that the read contradicts', () => {
    it('is a mismatch, refused before anything is sent (the chain was computed for the revision read)', () => {
      expect(expectedRevision(ExpectedVersion.noStream, 4n)).toBe('mismatch');
      expect(expectedRevision(ExpectedVersion.exact(2), 4n)).toBe('mismatch');
      expect(expectedRevision(ExpectedVersion.exact(0), null)).toBe('mismatch');
    });
  });

  describe('given "any"', () => {
    it('sends the revision just read (or "no stream"), so a racing write fails it instead of being stored twice', () => {
      expect(expectedRevision(ExpectedVersion.any, 4n)).toEqual({ revision: 4n, chosenHere: true });
      expect(expectedRevision(ExpectedVersion.any, null)).toEqual({ revision: 'no_stream', chosenHere: true });
    });
  });

  describe('given "stream exists"', () => {
    it('sends the revision just read, and is a mismatch when there was no stream', () => {
      expect(expectedRevision(ExpectedVersion.streamExists, 4n)).toEqual({ revision: 4n, chosenHere: true });
      expect(expectedRevision(ExpectedVersion.streamExists, null)).toBe('mismatch');
    });
  });
});

describe('EventStoreDB errors', () => {
  describe('given the client reports a wrong expected version', () => {
    it('reads the actual version, or null when the stream does not exist', () => {
      const error = (current: bigint | 'no_stream') =>
        new EsdbWrongExpectedVersionError(undefined, { streamName: 'school-1', expected: 0n, current });
      expect(actualVersionOf(error(4n))).toBe(4);
      expect(actualVersionOf(error('no_stream'))).toBeNull();
    });
  });

  describe('given a raw gRPC UNAVAILABLE error (the first call of a connection fails this way)', () => {
    it('maps it to EventStoreUnavailableError', () => {
      const raw = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
      expect(translateError(raw)).toBeInstanceOf(EventStoreUnavailableError);
      expect(translateError(new Error('other'))).not.toBeInstanceOf(EventStoreUnavailableError);
    });
  });
});
