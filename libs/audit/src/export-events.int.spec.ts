import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExpectedVersion, PostgresEventStore, START, eventStoreMigrations, type NewEvent } from '@ect/event-store';
import { migrate } from '@ect/platform';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { toAuditEvent } from './audit-event';
import { exportEvents, lastExportedPosition } from './export-events';

// Export to JSON lines on a real PostgreSQL event store, with interruptions.
let db: TestDatabase;
let store: PostgresEventStore;
let dir: string;
const streams = ['school-100001', 'school-100002', 'teacher-abc123'];

const event = (n: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'SomethingHappened',
  schemaVersion: 1,
  data: { n, text: 'é ☃ 𝄞 "quoted"\n' },
  metadata: { correlationId: randomUUID(), causationId: null, actingUserId: null, actingService: 'export-spec' },
});

/** Appends `count` events spread over the streams, in appends of one to three events. */
async function givenEvents(count: number): Promise<void> {
  for (let n = 0; n < count; ) {
    const batch = Array.from({ length: Math.min(1 + (n % 3), count - n) }, () => event(n++));
    await store.append(streams[n % streams.length], batch, ExpectedVersion.any);
  }
}

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
const allPositions = async () => (await store.readAll({ after: START, maxCount: 10_000 })).map((e) => e.globalPosition.toString());

beforeAll(async () => {
  db = await freshDatabase();
  await migrate(db.pool, eventStoreMigrations);
  store = new PostgresEventStore(db.pool);
  dir = await mkdtemp(join(tmpdir(), 'ect-export-'));
  await givenEvents(250);
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('when all events are exported to a new file', () => {
  it('writes one JSON line per event, in position order, as the audit history shows events', async () => {
    const file = join(dir, `all-${randomUUID()}.jsonl`);
    const progress: number[] = [];
    const result = await exportEvents({ store, file, pageSize: 100, onProgress: (p) => progress.push(p.exported) });
    const expected = (await store.readAll({ after: START, maxCount: 10_000 })).map(toAuditEvent);
    expect(await lines(file)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(result).toMatchObject({ exported: 250, resumedAfter: null, complete: true });
    expect(progress).toEqual([100, 200, 250]);
  });
});

describe('when an export is interrupted and run again', () => {
  it('continues after the last complete line: no event twice, none missing, also for events appended meanwhile', async () => {
    const file = join(dir, `resume-${randomUUID()}.jsonl`);
    const abort = new AbortController();
    const first = await exportEvents({ store, file, pageSize: 40, signal: abort.signal, onProgress: (p) => p.exported >= 80 && abort.abort() });
    expect(first).toMatchObject({ exported: 80, complete: false });
    // A crash in the middle of a write leaves half a line behind.
    await appendFile(file, '{"position":"9999","stream":"school-1000');
    await givenEvents(30);

    const second = await exportEvents({ store, file, pageSize: 40 });
    expect(second.resumedAfter).toBe(first.lastPosition);
    expect(second).toMatchObject({ exported: (await allPositions()).length - 80, complete: true });
    const positions = (await lines(file)).map((l) => l.position);
    expect(positions).toEqual(await allPositions());
    expect(new Set(positions).size).toBe(positions.length);

    const third = await exportEvents({ store, file });
    expect(third).toMatchObject({ exported: 0, resumedAfter: BigInt(positions[positions.length - 1]), complete: true });
  });
});

describe('when one stream is exported', () => {
  it('writes only its events, in order, and resumes the same way', async () => {
    const file = join(dir, `stream-${randomUUID()}.jsonl`);
    const abort = new AbortController();
    await exportEvents({ store, file, stream: streams[1], pageSize: 10, signal: abort.signal, onProgress: () => abort.abort() });
    expect(await lines(file)).toHaveLength(10);
    await exportEvents({ store, file, stream: streams[1], pageSize: 10 });
    const exported = await lines(file);
    expect(exported.map((l) => l.eventId)).toEqual((await store.readStream(streams[1])).map((e) => e.eventId));
    expect(exported.map((l) => l.version)).toEqual(exported.map((_, i) => i));
  });
});

describe('when an export starts from a position', () => {
  it('starts at that position, inclusive', async () => {
    const file = join(dir, `from-${randomUUID()}.jsonl`);
    const positions = await allPositions();
    await exportEvents({ store, file, from: BigInt(positions[100]) });
    expect((await lines(file)).map((l) => l.position)).toEqual(positions.slice(100));
  });
});

describe('reading where an export file ends', () => {
  it('knows a missing or empty file, and a file holding only half a line (which it empties)', async () => {
    expect(await lastExportedPosition(join(dir, 'missing.jsonl'))).toBeNull();
    const empty = join(dir, `empty-${randomUUID()}.jsonl`);
    await writeFile(empty, '');
    expect(await lastExportedPosition(empty)).toBeNull();
    const half = join(dir, `half-${randomUUID()}.jsonl`);
    await writeFile(half, '{"position":"1');
    expect(await lastExportedPosition(half)).toBeNull();
    expect(await readFile(half, 'utf8')).toBe('');
  });

  it('refuses to resume a file that is not an export', async () => {
    const other = join(dir, `other-${randomUUID()}.jsonl`);
    await writeFile(other, '{"hello":"world"}\n');
    await expect(exportEvents({ store, file: other })).rejects.toThrow(/does not look like an export/);
  });
});
