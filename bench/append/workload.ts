/**
 * The workload every contender of the append benchmark runs: the same events (same type, same data and metadata
 * sizes), the same batch sizes, the same concurrency, the same stream layout.
 */
import { randomUUID } from 'node:crypto';

export const CONTENDERS = ['ours', 'raw', 'emmett'] as const;
export type ContenderName = (typeof CONTENDERS)[number];

export interface Cell {
  /** Events per append. */
  batch: number;
  /** Appends in flight at once (async workers, one pool connection each at most). */
  concurrency: number;
  /** Events appended in the measured phase. */
  events: number;
  /** Events appended before measuring (other streams, same pattern). */
  warmupEvents: number;
}

export const cellKey = (cell: Pick<Cell, 'batch' | 'concurrency'>): string => `b${cell.batch}-c${cell.concurrency}`;

/** Appends each stream receives before a worker moves to a fresh stream: the first one creates it. */
export const APPENDS_PER_STREAM = 5;
export const EVENT_TYPE = 'UserLinkedToSchool';
export const SCHEMA_VERSION = 1;
/** Serialised size of every event's data, in bytes. */
export const DATA_BYTES = 300;

export interface BenchEvent {
  eventId: string;
  data: Record<string, unknown>;
  metadata: {
    correlationId: string;
    causationId: string | null;
    actingUserId: string | null;
    actingService: string;
  };
}

const TEMPLATE = {
  schoolUrn: '100001',
  userId: '00000000-0000-4000-8000-000000000000',
  email: 'alexandra.montgomery-smith@example-school.sch.uk',
  fullName: 'Alexandra Montgomery-Smith',
  role: 'induction_tutor',
  linkedOn: '2025-09-01',
  sequence: '000000000',
  padding: '',
};
const PADDING = 'x'.repeat(DATA_BYTES - Buffer.byteLength(JSON.stringify(TEMPLATE)));

/** One append's events: a fresh id per event, data of exactly DATA_BYTES, metadata like the command runner's. */
export function makeEvents(count: number, userId: string, actingUserId: string, sequence: number): BenchEvent[] {
  const correlationId = randomUUID();
  const causationId = randomUUID();
  const events: BenchEvent[] = [];
  for (let i = 0; i < count; i++) {
    events.push({
      eventId: randomUUID(),
      data: { ...TEMPLATE, userId, sequence: String(sequence + i).padStart(9, '0'), padding: PADDING },
      metadata: { correlationId, causationId, actingUserId, actingService: 'ect-register-api' },
    });
  }
  return events;
}

/** Serialised sizes of one sample event (checked at start so every event has the same size). */
export function sampleSizes(): { dataBytes: number; metadataBytes: number } {
  const [e] = makeEvents(1, randomUUID(), randomUUID(), 0);
  return { dataBytes: Buffer.byteLength(JSON.stringify(e.data)), metadataBytes: Buffer.byteLength(JSON.stringify(e.metadata)) };
}

/**
 * How a contender appends: `eventsBefore` is how many events the stream already has (0: it must not exist yet).
 * Each contender translates that into its own expected-version check (raw: none).
 */
export type AppendFn = (stream: string, events: BenchEvent[], eventsBefore: number) => Promise<void>;

export interface PhaseResult {
  events: number;
  appends: number;
  seconds: number;
  eventsPerSecond: number;
  /** Per-append latency, milliseconds. */
  latencyMs: { p50: number; p99: number; max: number };
}

/**
 * Appends `totalEvents` in batches of `batch` with `concurrency` workers. Worker w writes its own streams
 * `school-<tag>-w<w>-s<k>`, APPENDS_PER_STREAM appends each, so workers never contend for a stream.
 */
export async function runPhase(append: AppendFn, tag: string, batch: number, concurrency: number, totalEvents: number): Promise<PhaseResult> {
  const appends = Math.ceil(totalEvents / batch);
  const latencies = new Float64Array(appends);
  let next = 0;
  const worker = async (w: number) => {
    const actingUserId = randomUUID();
    let streamIndex = -1;
    let stream = '';
    let userId = '';
    let appendsInStream = APPENDS_PER_STREAM;
    for (;;) {
      const n = next++;
      if (n >= appends) return;
      if (appendsInStream === APPENDS_PER_STREAM) {
        streamIndex++;
        stream = `school-${tag}-w${w}-s${streamIndex}`;
        userId = randomUUID();
        appendsInStream = 0;
      }
      const events = makeEvents(batch, userId, actingUserId, n * batch);
      const started = performance.now();
      await append(stream, events, appendsInStream * batch);
      latencies[n] = performance.now() - started;
      appendsInStream++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    events: appends * batch,
    appends,
    seconds,
    eventsPerSecond: (appends * batch) / seconds,
    latencyMs: { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] },
  };
}
