import { eventHash, type StoredEvent } from '@ect/event-store';
import { verifyStreamChain } from './chain-verify';

// The classification on its own, with no stream version kept beside the events (as on EventStoreDB). The same cases
// on PostgreSQL rows edited in place are in verify.int.spec.ts.
const stream = 'school-100001';

/** A correctly chained stream of `n` events, positions 100, 110, 120, ... */
function chain(n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (let v = 0; v < n; v++) {
    const event: StoredEvent = {
      eventId: `00000000-0000-4000-8000-${String(v).padStart(12, '0')}`,
      streamName: stream,
      streamVersion: v,
      globalPosition: BigInt(100 + v * 10),
      type: 'SomethingHappened',
      schemaVersion: 1,
      data: { v },
      metadata: { correlationId: 'c', causationId: null, actingUserId: null, actingService: 'spec' },
      recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, v)),
      prevHash: v === 0 ? null : events[v - 1].hash,
    };
    event.hash = eventHash(event, event.prevHash ?? null);
    events.push(event);
  }
  return events;
}
const problems = (events: StoredEvent[]) => verifyStreamChain(stream, events).map((f) => [f.version, f.problem]);

describe('given an intact chain', () => {
  it('finds nothing, whatever order the events are given in', () => {
    expect(verifyStreamChain(stream, chain(4).reverse())).toEqual([]);
    expect(verifyStreamChain(stream, [])).toEqual([]);
  });
});

describe('given a changed event', () => {
  it('finds changed content, also for the last event', () => {
    const events = chain(4);
    events[1].data = { v: 'x' };
    events[3].type = 'SomethingElse';
    expect(problems(events)).toEqual([[1, 'changed-content'], [3, 'changed-content']]);
  });
});

describe('given a deleted event', () => {
  it('finds the gap in the middle, and a stream that no longer starts at version 0', () => {
    expect(problems(chain(4).filter((e) => e.streamVersion !== 2))).toEqual([[2, 'deleted-event']]);
    expect(problems(chain(4).slice(1))).toEqual([[0, 'deleted-event']]);
  });

  it('cannot see the last event deleted without a stream version kept elsewhere', () => {
    expect(problems(chain(4).slice(0, 3))).toEqual([]);
  });
});

describe('given events whose versions were swapped', () => {
  it('finds both reordered, and says where each was appended', () => {
    const events = chain(4);
    [events[1].streamVersion, events[2].streamVersion] = [2, 1];
    expect(verifyStreamChain(stream, events).map((f) => [f.version, f.problem, f.detail])).toEqual([
      [1, 'reordered-events', 'it was appended as version 2 and is now stored as version 1'],
      [2, 'reordered-events', 'it was appended as version 1 and is now stored as version 2'],
    ]);
  });
});

describe('given an event inserted at the end with a made-up hash', () => {
  it('without a stream version kept elsewhere, can only say that its content does not match its hash', () => {
    const events = chain(3);
    events.push({ ...events[2], eventId: 'x', streamVersion: 3, globalPosition: 500n, prevHash: events[2].hash, hash: 'f'.repeat(64) });
    expect(problems(events)).toEqual([[3, 'changed-content']]);
  });
});

describe('given events written before the chain existed (no hashes)', () => {
  it('reports each as not appended through the event store', () => {
    const events = chain(2).map((e) => ({ ...e, hash: null, prevHash: null }));
    expect(problems(events)).toEqual([[0, 'inserted-event'], [1, 'inserted-event']]);
  });
});
