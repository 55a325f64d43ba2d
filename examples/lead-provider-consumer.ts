/**
 * A lead provider's consumer of its contact feed, to start from: keeps a local copy of every school's latest contact
 * snapshot in a JSON file, applying each change once.
 *
 *   LP_KAFKA_BROKERS=127.0.0.1:9092 LP_KAFKA_USERNAME=lead-provider-lp-1 LP_KAFKA_PASSWORD=... LP_ID=lp-1 \
 *     npx tsx examples/lead-provider-consumer.ts            # LP_COPY_FILE (default contacts-<LP_ID>.json)
 *
 * What the feed guarantees, and what this does with it:
 * - The topic is compacted and keyed by school URN; the latest value per key is the school's whole snapshot, a null
 *   value (tombstone) means the school is no longer yours. So the copy is just "latest value per key".
 * - Delivery is at least once, in order per school: after a failure on either side a message can come again. Every
 *   message carries an `event-id` header that a resend repeats; the copy remembers the ids it applied per school and
 *   skips repeats, so each change is applied (and reported to `onChange`) once.
 * - Offsets are committed after the copy is saved, so a crash of this consumer replays at most what it had not saved.
 * - Every version of a school stays on the topic for a week (min.compaction.lag.ms), tombstones too
 *   (delete.retention.ms); after that only the latest value per school is kept. A copy that was offline for longer
 *   than a week may have missed a tombstone: start it again with a new group (or an empty file) to rebuild it.
 * - The consumer group must start with `ect-register.lead-provider.<LP_ID>.` (the ACLs allow no other).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';

export interface Change {
  urn: string;
  eventId: string;
  position: string;
  /** The new snapshot, or null when the school was removed from your feed. */
  snapshot: Record<string, unknown> | null;
}

/** How many event ids to remember per school: far more than a resend can repeat. */
const REMEMBERED_IDS = 50;

/** The local copy: latest snapshot per URN, and the ids already applied per URN (to skip resends). */
export class ContactCopy {
  schools: Record<string, Record<string, unknown>> = {};
  applied: Record<string, string[]> = {};

  /** Applies one message; returns the change, or null when it is a repeat of one already applied. */
  apply(message: KafkaMessage): Change | null {
    const urn = message.key?.toString() ?? '';
    const eventId = message.headers?.['event-id']?.toString() ?? '';
    const seen = (this.applied[urn] ??= []);
    if (eventId !== '' && seen.includes(eventId)) return null;
    seen.push(eventId);
    if (seen.length > REMEMBERED_IDS) seen.shift();
    const snapshot = message.value === null ? null : (JSON.parse(message.value.toString()) as Record<string, unknown>);
    if (snapshot === null) delete this.schools[urn];
    else this.schools[urn] = snapshot;
    return { urn, eventId, position: message.headers?.position?.toString() ?? '', snapshot };
  }

  save(file: string): void {
    writeFileSync(`${file}.tmp`, JSON.stringify({ schools: this.schools, applied: this.applied }, null, 2));
    renameSync(`${file}.tmp`, file);
  }

  static load(file: string): ContactCopy {
    const copy = new ContactCopy();
    if (existsSync(file)) Object.assign(copy, JSON.parse(readFileSync(file, 'utf8')));
    return copy;
  }
}

export interface ConsumerOptions {
  brokers: string[];
  username: string;
  password: string;
  leadProviderId: string;
  /** Appended to the provider's group prefix. */
  groupName?: string;
  copy: ContactCopy;
  /** Called after each message's change is in the copy (and before its offset is committed). */
  onChange?: (change: Change) => void | Promise<void>;
  /** Called after each batch, before committing (e.g. save the copy). */
  onBatch?: () => void | Promise<void>;
  /** kafkajs's own logging (ERROR by default: connection problems are worth seeing). */
  logLevel?: logLevel;
}

export interface ContactConsumer {
  stop(): Promise<void>;
}

/** Starts consuming (from the beginning for a new group) until stop(); kafkajs restarts it after retriable failures. */
export async function startContactConsumer(options: ConsumerOptions): Promise<ContactConsumer> {
  const kafka = new Kafka({
    clientId: `contacts-${options.leadProviderId}`,
    brokers: options.brokers,
    sasl: { mechanism: 'scram-sha-512', username: options.username, password: options.password },
    logLevel: options.logLevel ?? logLevel.ERROR,
  });
  const consumer = kafka.consumer({ groupId: `ect-register.lead-provider.${options.leadProviderId}.${options.groupName ?? 'contacts-copy'}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [`ect-register.lead-provider.${options.leadProviderId}.contacts.v1`], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
      for (const message of batch.messages) {
        const change = options.copy.apply(message);
        if (change) await options.onChange?.(change);
        resolveOffset(message.offset);
        await heartbeat();
      }
      await options.onBatch?.();
      await commitOffsetsIfNecessary();
    },
  });
  return { stop: () => consumer.disconnect() };
}

async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} must be set (npm run feeds:provision prints the values)`);
    return value;
  };
  const leadProviderId = env('LP_ID');
  const file = process.env.LP_COPY_FILE ?? `contacts-${leadProviderId}.json`;
  const copy = ContactCopy.load(file);
  const consumer = await startContactConsumer({
    brokers: env('LP_KAFKA_BROKERS').split(','),
    username: env('LP_KAFKA_USERNAME'),
    password: env('LP_KAFKA_PASSWORD'),
    leadProviderId,
    copy,
    onChange: (c) => console.log(`${c.urn}: ${c.snapshot ? 'updated' : 'removed'} (event ${c.eventId}, position ${c.position})`),
    onBatch: () => copy.save(file),
  });
  console.log(`Keeping ${file} up to date with ${leadProviderId}'s contacts (${Object.keys(copy.schools).length} schools so far); Ctrl-C stops.`);
  const stop = () => void consumer.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
