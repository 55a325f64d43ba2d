import { createHash, randomUUID } from 'node:crypto';
import { ExpectedVersion, PostgresEventStore, eventHash, eventStoreMigrations, type NewEvent } from '@ect/event-store';
import { migrate } from '@ect/platform';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { postgresAuditSource, type AuditSource } from './audit-source';
import type { ChainFinding } from './chain-verify';
import { verifyChains } from './verify';

// Tampering by editing rows directly in a real PostgreSQL, then verifying the chains.
let db: TestDatabase;
let store: PostgresEventStore;
let source: AuditSource;
const tampered = new Map<string, ChainFinding[]>();

beforeAll(async () => {
  db = await freshDatabase();
  await migrate(db.pool, eventStoreMigrations);
  store = new PostgresEventStore(db.pool);
  source = postgresAuditSource(store, db.pool);
});
afterAll(() => db.drop());

const event = (n: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'SomethingHappened',
  schemaVersion: 1,
  data: { n },
  metadata: { correlationId: randomUUID(), causationId: null, actingUserId: null, actingService: 'verify-spec' },
});

/** A stream of five events (versions 0 to 4), appended in three appends. */
async function givenStream(): Promise<string> {
  const stream = `audit-${randomUUID().replace(/-/g, '')}`;
  await store.append(stream, [event(0), event(1)], ExpectedVersion.noStream);
  await store.append(stream, [event(2)], ExpectedVersion.exact(1));
  await store.append(stream, [event(3), event(4)], ExpectedVersion.exact(2));
  return stream;
}

const sql = (text: string, params: unknown[] = []) => db.pool.query(text, params);
const positionOf = async (stream: string, version: number) =>
  String((await sql('select global_position from es_events where stream_name = $1 and stream_version = $2', [stream, version])).rows[0].global_position);
const fakeHash = () => createHash('sha256').update(randomUUID()).digest('hex');

async function whenVerified(stream: string): Promise<ChainFinding[]> {
  const report = await verifyChains(source, { stream });
  expect(report.ok).toBe(false);
  tampered.set(stream, report.findings);
  return report.findings;
}

describe('given intact streams', () => {
  it('reports no broken link', async () => {
    const stream = await givenStream();
    expect(await verifyChains(source, { stream })).toEqual({ ok: true, streamsChecked: 1, eventsChecked: 5, findings: [] });
  });
});

describe('when an event\'s data is changed', () => {
  it('reports changed content at that version and position, and nothing else', async () => {
    const stream = await givenStream();
    const position = await positionOf(stream, 2);
    await sql(`update es_events set data = '{"n": 99}' where stream_name = $1 and stream_version = 2`, [stream]);
    expect(await whenVerified(stream)).toEqual([
      { stream, version: 2, position, eventId: expect.any(String), problem: 'changed-content', detail: expect.stringMatching(/no longer matches its hash/) },
    ]);
  });

  it('also when it is the last event of the stream, or only its metadata changed', async () => {
    const stream = await givenStream();
    await sql(`update es_events set metadata = metadata || '{"actingUserId": "someone-else"}' where stream_name = $1 and stream_version = 4`, [stream]);
    expect((await whenVerified(stream)).map((f) => [f.version, f.problem])).toEqual([[4, 'changed-content']]);
  });
});

describe('when an event is deleted', () => {
  it('reports the version gap where it was', async () => {
    const stream = await givenStream();
    const next = await positionOf(stream, 3);
    await sql('delete from es_events where stream_name = $1 and stream_version = 2', [stream]);
    expect(await whenVerified(stream)).toEqual([
      { stream, version: 2, position: null, eventId: null, problem: 'deleted-event', detail: `version 2 is missing before the event at position ${next}` },
    ]);
  });

  it('reports the last event deleted, from the stream version the store keeps beside the events', async () => {
    const stream = await givenStream();
    await sql('delete from es_events where stream_name = $1 and stream_version = 4', [stream]);
    expect((await whenVerified(stream)).map((f) => [f.version, f.problem, f.detail])).toEqual([
      [4, 'deleted-event', "version 4 is missing at the end: the stream's recorded version is 4"],
    ]);
  });

  it('reports it even when the later versions were renumbered to close the gap', async () => {
    const stream = await givenStream();
    await sql('delete from es_events where stream_name = $1 and stream_version = 2', [stream]);
    await sql('update es_events set stream_version = stream_version - 1 where stream_name = $1 and stream_version > 2', [stream]);
    await sql('update es_streams set version = 3 where stream_name = $1', [stream]);
    const findings = await whenVerified(stream);
    expect(findings.map((f) => [f.version, f.problem])).toEqual([
      [2, 'renumbered-event'],
      [2, 'deleted-event'],
      [3, 'renumbered-event'],
    ]);
    expect(findings[1].detail).toMatch(/links to an event that is no longer in the stream/);
  });
});

describe('when an event is inserted', () => {
  it('in the middle (later versions moved up), reports the inserted event and each moved one', async () => {
    const stream = await givenStream();
    const [v1] = (await sql('select hash from es_events where stream_name = $1 and stream_version = 1', [stream])).rows;
    await sql('update es_events set stream_version = stream_version + 1001 where stream_name = $1 and stream_version >= 2', [stream]);
    await sql('update es_events set stream_version = stream_version - 1000 where stream_name = $1 and stream_version >= 1000', [stream]);
    await sql(
      `insert into es_events (event_id, stream_name, stream_version, event_type, schema_version, data, metadata, prev_hash, hash)
       values (gen_random_uuid(), $1, 2, 'SomethingHappened', 1, '{"n": 1.5}', '{"actingService": "intruder"}', $2, $3)`,
      [stream, v1.hash, fakeHash()],
    );
    const inserted = await positionOf(stream, 2);
    const findings = await whenVerified(stream);
    expect(findings[0]).toEqual({ stream, version: 2, position: inserted, eventId: expect.any(String), problem: 'inserted-event', detail: 'no later event links to it and its hash does not match its content' });
    expect(findings.slice(1).map((f) => [f.version, f.problem, f.detail])).toEqual([
      [3, 'renumbered-event', 'it was appended as version 2 and is now stored as version 3'],
      [4, 'renumbered-event', 'it was appended as version 3 and is now stored as version 4'],
      [5, 'renumbered-event', 'it was appended as version 4 and is now stored as version 5'],
    ]);
  });

  it('at the end with a correctly computed hash, reports it from the stream version the store keeps', async () => {
    const stream = await givenStream();
    const [last] = (await sql('select hash from es_events where stream_name = $1 and stream_version = 4', [stream])).rows;
    const forged = { streamName: stream, streamVersion: 5, eventId: randomUUID(), type: 'SomethingHappened', schemaVersion: 1, data: { n: 5 }, metadata: { actingService: 'intruder' }, recordedAt: new Date('2026-01-01T00:00:00Z') };
    await sql(
      `insert into es_events (event_id, stream_name, stream_version, event_type, schema_version, data, metadata, recorded_at, prev_hash, hash)
       values ($2, $1, 5, 'SomethingHappened', 1, '{"n": 5}', '{"actingService": "intruder"}', '2026-01-01T00:00:00Z', $3, $4)`,
      [stream, forged.eventId, last.hash, eventHash(forged, last.hash)],
    );
    expect((await whenVerified(stream)).map((f) => [f.version, f.problem, f.detail])).toEqual([
      [5, 'inserted-event', "it lies beyond the stream's recorded version 4: it was not appended through the event store"],
    ]);
  });

  it('without a hash, reports that it was not appended through the event store', async () => {
    const stream = await givenStream();
    await sql(
      `insert into es_events (event_id, stream_name, stream_version, event_type, schema_version, data, metadata)
       values (gen_random_uuid(), $1, 5, 'SomethingHappened', 1, '{}', '{}')`,
      [stream],
    );
    expect((await whenVerified(stream)).map((f) => [f.version, f.problem])).toEqual([[5, 'inserted-event']]);
  });
});

describe('when two events swap places', () => {
  it('by version, reports both as reordered with the versions they were appended at', async () => {
    const stream = await givenStream();
    await sql('update es_events set stream_version = -1 where stream_name = $1 and stream_version = 1', [stream]);
    await sql('update es_events set stream_version = 1 where stream_name = $1 and stream_version = 2', [stream]);
    await sql('update es_events set stream_version = 2 where stream_name = $1 and stream_version = -1', [stream]);
    expect((await whenVerified(stream)).map((f) => [f.version, f.problem, f.detail])).toEqual([
      [1, 'reordered-events', 'it was appended as version 2 and is now stored as version 1'],
      [2, 'reordered-events', 'it was appended as version 1 and is now stored as version 2'],
    ]);
  });

  it('by global position, reports the event whose position goes backwards', async () => {
    const stream = await givenStream();
    const [p1, p2] = [await positionOf(stream, 1), await positionOf(stream, 2)];
    await sql('update es_events set global_position = -global_position where stream_name = $1 and stream_version = 1', [stream]);
    await sql('update es_events set global_position = $2 where stream_name = $1 and stream_version = 2', [stream, p1]);
    await sql('update es_events set global_position = $2 where stream_name = $1 and stream_version = 1', [stream, p2]);
    expect(await whenVerified(stream)).toEqual([
      { stream, version: 2, position: p1, eventId: expect.any(String), problem: 'reordered-events', detail: `its global position ${p1} is not after position ${p2} of version 1` },
    ]);
  });
});

describe('when every stream is verified at once', () => {
  it('finds exactly the tampered streams, each explained as when verified alone, and counts all events', async () => {
    const report = await verifyChains(source);
    expect(report.ok).toBe(false);
    const byStream = new Map<string, ChainFinding[]>();
    for (const f of report.findings) byStream.set(f.stream, [...(byStream.get(f.stream) ?? []), f]);
    expect([...byStream.keys()].sort()).toEqual([...tampered.keys()].sort());
    for (const [stream, findings] of tampered) expect(byStream.get(stream)).toEqual(findings);
    const { rows } = await sql('select count(*)::int as n, count(distinct stream_name)::int as s from es_events');
    expect(report.eventsChecked).toBe(rows[0].n);
    expect(report.streamsChecked).toBe(rows[0].s);
  });
});
