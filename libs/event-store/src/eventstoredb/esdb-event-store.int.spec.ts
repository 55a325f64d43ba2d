import { anEvent, collect, describeEventStoreContract, uniqueStream } from '../contract/event-store.contract';
import { EventStoreUnavailableError, InvalidEventError, InvalidStreamNameError } from '../event-store.errors';
import { ExpectedVersion, START } from '../event-store.port';
import { EventStoreDbEventStore } from './esdb-event-store';

// The contract needs a real EventStoreDB server (22.6 or later), e.g.
// EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false'. The unreachable-server suite always runs.
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  let store: EventStoreDbEventStore;
  beforeAll(() => {
    store = new EventStoreDbEventStore(connectionString);
  });
  afterAll(async () => {
    await store?.close();
  });

  describeEventStoreContract('EventStoreDB', { store: () => store });

  describe('EventStoreDB adapter: given one append of three events', () => {
    it('gives each its own increasing position; reading or subscribing after the middle one yields only the last', async () => {
      const stream = uniqueStream('multi');
      const result = await store.append(stream, [anEvent('M0'), anEvent('M1'), anEvent('M2')], ExpectedVersion.noStream);
      const read = await store.readStream(stream);
      expect(read[0].globalPosition < read[1].globalPosition && read[1].globalPosition < read[2].globalPosition).toBe(true);
      expect(result.lastPosition).toBe(read[2].globalPosition);
      const middle = read[1].globalPosition;
      expect((await store.readAll({ after: middle, streamPrefixes: [stream] })).map((e) => e.type)).toEqual(['M2']);
      expect((await collect(store, 1, { after: middle, streamPrefixes: [stream] })).map((e) => e.type)).toEqual(['M2']);
    });
  });

  describe('EventStoreDB adapter: given metadata with extra keys and a schema version above 1', () => {
    it('reads both back as they were given', async () => {
      const stream = uniqueStream('meta');
      const event = { ...anEvent(), schemaVersion: 4 };
      event.metadata.causationId = event.metadata.correlationId;
      event.metadata.chain = { previousHash: 'ab12' };
      await store.append(stream, [event], ExpectedVersion.any);
      const [stored] = await store.readStream(stream);
      expect(stored.schemaVersion).toBe(4);
      expect(stored.metadata).toEqual(event.metadata);
    });
  });
} else {
  beforeAll(() => {
    process.stdout.write('EventStoreDB contract suite did not run: EVENTSTORE_CONNECTION_STRING is not set\n');
  });
}

describe('EventStoreDB adapter: given an unreachable server (esdb://127.0.0.1:1?tls=false, a closed port)', () => {
  let store: EventStoreDbEventStore;
  beforeAll(() => {
    store = new EventStoreDbEventStore('esdb://127.0.0.1:1?tls=false', { subscriptionRetryDelayMs: 10 });
  });
  afterAll(async () => {
    await store.close();
  });

  describe('when appending', () => {
    it('raises EventStoreUnavailableError', async () => {
      await expect(store.append(uniqueStream(), [anEvent()], ExpectedVersion.any)).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.append(uniqueStream(), [anEvent()], ExpectedVersion.exact(3))).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
    });
  });

  describe('when reading', () => {
    it('raises EventStoreUnavailableError for a stream, its version, all events and the head', async () => {
      await expect(store.readStream(uniqueStream())).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.streamVersion(uniqueStream())).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll({ after: START, streamPrefixes: ['school-'] })).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  describe('when subscribing', () => {
    it('keeps retrying with back-off, reports each failure, and stops cleanly without calling the handler', async () => {
      const failures: unknown[] = [];
      let twoFailures!: () => void;
      const failedTwice = new Promise<void>((resolve) => (twoFailures = resolve));
      const retrying = new EventStoreDbEventStore('esdb://127.0.0.1:1?tls=false', {
        subscriptionRetryDelayMs: 10,
        onSubscriptionError: (error) => {
          failures.push(error);
          if (failures.length === 2) twoFailures();
        },
      });
      const handle = jest.fn(async () => undefined);
      const subscription = retrying.subscribe({ after: START, streamPrefixes: ['school-'], handle });
      await failedTwice;
      await retrying.close();
      await expect(subscription.done).resolves.toBeUndefined();
      expect(handle).not.toHaveBeenCalled();
      expect(failures[0]).toMatchObject({ code: 14 });
    });
  });

  describe('when the input is invalid', () => {
    it('refuses it before contacting the server', async () => {
      await expect(store.append('School-1', [anEvent()], ExpectedVersion.any)).rejects.toBeInstanceOf(InvalidStreamNameError);
      const reserved = anEvent();
      reserved.metadata.$correlationId = 'mine';
      await expect(store.append(uniqueStream(), [reserved], ExpectedVersion.any)).rejects.toBeInstanceOf(InvalidEventError);
    });
  });
});
