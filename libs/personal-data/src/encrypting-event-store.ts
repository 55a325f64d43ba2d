import type {
  AppendResult,
  EventStore,
  ExpectedVersion,
  GlobalPosition,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  SubscriptionHandle,
} from '@ect/event-store';
import type { KeyStore } from './key-store';
import { PersonalDataCodec } from './personal-data-codec';

/**
 * The event store every reader and writer of the service uses: personal fields are sealed on append and opened on
 * read, at this one boundary, so deciders, projections and the audit see plain values (or ERASED) and never
 * envelopes. `stored` is the adapter underneath, for what must see the stored form: the hash chain (verify) and
 * exports. All the port's guarantees are the adapter's: this adds no state of its own but the key cache.
 */
export class EncryptingEventStore implements EventStore {
  private readonly codec: PersonalDataCodec;

  constructor(readonly stored: EventStore, readonly keys: KeyStore, readonly streamKeySecret: string) {
    this.codec = new PersonalDataCodec(keys, streamKeySecret);
  }

  async append(streamName: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    return this.stored.append(streamName, await this.codec.seal(streamName, events), expected);
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.codec.open(await this.stored.readStream(streamName, options));
  }

  streamVersion(streamName: string): Promise<number | null> {
    return this.stored.streamVersion(streamName);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.codec.open(await this.stored.readAll(options));
  }

  headPosition(): Promise<GlobalPosition> {
    return this.stored.headPosition();
  }

  subscribe(options: SubscribeOptions): SubscriptionHandle {
    return this.stored.subscribe({ ...options, handle: async (events) => options.handle(await this.codec.open(events)) });
  }

  close(): Promise<void> {
    return this.stored.close();
  }
}

/** The stored form underneath a store (itself when it is not encrypting): for hash-chain checks and exports. */
export function storedFormOf(store: EventStore): EventStore {
  return store instanceof EncryptingEventStore ? store.stored : store;
}
