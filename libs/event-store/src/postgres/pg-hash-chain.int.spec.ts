import { randomUUID } from 'node:crypto';
import { migrate } from '@ect/platform';
import { freshDatabase, type TestDatabase } from '../../../../test/support/database';
import { anEvent, uniqueStream } from '../contract/event-store.contract';
import { ExpectedVersion } from '../event-store.port';
import { eventHash, jsonbText } from '../hash-chain';
import { PostgresEventStore } from './pg-event-store';
import { eventStoreMigrations } from './pg-event-store.migrations';

// The TypeScript canonical form and PostgreSQL's es_event_hash must agree byte for byte (real PostgreSQL).
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await migrate(db.pool, eventStoreMigrations);
});
afterAll(() => db.drop());

const pgText = async (jsonTexts: string[]): Promise<string[]> =>
  (await db.pool.query<{ t: string }>('select t::jsonb::text as t from unnest($1::text[]) with ordinality as u(t, n) order by n', [jsonTexts]))
    .rows.map((r) => r.t);

/** A small seeded generator, so a failure can be replayed. */
function generator(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const int = (n: number) => Math.floor(next() * n);
  const ranges = [[0x01, 0x7f], [0x80, 0x7ff], [0x800, 0xd7ff], [0xe000, 0xffff], [0x10000, 0x10ffff]];
  const string = () =>
    Array.from({ length: int(8) }, () => {
      const [lo, hi] = ranges[int(ranges.length)];
      return String.fromCodePoint(lo + int(hi - lo + 1));
    }).join('');
  const number = () => {
    const n = (next() - 0.5) * 10 ** (int(60) - 30);
    return [n, Math.round(n), n / 3, Number(n.toPrecision(1 + int(17)))][int(4)];
  };
  const value = (depth: number): unknown => {
    const kind = depth > 2 ? int(4) : int(6);
    if (kind === 0) return string();
    if (kind === 1) return number();
    if (kind === 2) return [true, false, null][int(3)];
    if (kind === 3) return int(2) ? '' : string();
    if (kind === 4) return Array.from({ length: int(4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: int(5) }, () => [string(), value(depth + 1)]));
  };
  return { value, object: () => Object.fromEntries(Array.from({ length: 1 + int(6) }, () => [string(), value(1)])) };
}

describe('canonical JSON text: TypeScript against PostgreSQL jsonb::text', () => {
  describe('given chosen hard cases (unicode, escapes, key order, numbers)', () => {
    it('prints exactly what PostgreSQL prints', async () => {
      const values: unknown[] = [
        { 'é': 1, z: 2, aa: 3, 'Z': 4, '𝄞': 5, 'ß': 6, '': 7, '☃': 8, a: 9 },
        { s: 'a"b\\c\n\t\r\b\f\u0001\u001f\u007f é ☃ 𝄞 \u2028\u2029 / <>&\u00ad\u200b\ufeff' },
        { n: [0, -0, 1, -1, 0.1, 0.1 + 0.2, 1e21, 1e-7, 1.5e-7, -2.5e-10, 123456789.123, 2 ** 53 - 1, 2 ** 64, 5e-324, 1.7976931348623157e308] },
        { nested: { b: [1, { z: null, a: true, '': [] }], aa: {} }, empty: '' },
        { unicodeKeys: { 'ａ': 1, 'ä': 2, 'a\u0308': 3, '\u{1F600}': 4, '\uFFFF': 5 } },
      ];
      const texts = values.map((v) => JSON.stringify(v));
      expect(values.map(jsonbText)).toEqual(await pgText(texts));
    });
  });

  describe('given 500 random JSON objects (seeded)', () => {
    it('prints exactly what PostgreSQL prints for every one', async () => {
      const gen = generator(20260101);
      const values = Array.from({ length: 500 }, () => gen.object());
      // What the adapters hash is the JSON round trip, as a reader gets it back.
      const roundTripped = values.map((v) => JSON.parse(JSON.stringify(v)));
      expect(roundTripped.map(jsonbText)).toEqual(await pgText(values.map((v) => JSON.stringify(v))));
    });
  });
});

describe('es_event_hash and es_append against the TypeScript hash', () => {
  it('computes the same hash for the same content', async () => {
    const content = {
      streamName: 'school-123456',
      streamVersion: 7,
      eventId: randomUUID(),
      type: 'UserLinkedToSchool',
      schemaVersion: 2,
      data: { name: 'Zoë 𝄞 "x"', n: 1.5e-7 },
      metadata: { correlationId: 'c', causationId: null, actingUserId: null, actingService: 'svc', extra: [1e21] },
      recordedAt: new Date('2026-03-04T05:06:07.089Z'),
    };
    const prev = 'ab'.repeat(32);
    const { rows } = await db.pool.query<{ h: string }>(
      'select es_event_hash($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::timestamptz, $9) as h',
      [content.streamName, content.streamVersion, content.eventId, content.type, content.schemaVersion,
        JSON.stringify(content.data), JSON.stringify(content.metadata), '2026-03-04T05:06:07.089Z', prev],
    );
    expect(rows[0].h).toBe(eventHash(content, prev));
  });

  it('stores, for every appended event, the hash any reader recomputes from the stored event', async () => {
    const store = new PostgresEventStore(db.pool);
    const stream = uniqueStream();
    await store.append(stream, [anEvent('A', { s: '☃\n' }), anEvent('B', { n: 0.000001 })], ExpectedVersion.noStream);
    await store.append(stream, [anEvent('C')], ExpectedVersion.exact(1));
    const events = await store.readStream(stream);
    const { rows } = await db.pool.query(`select count(*)::int as n from es_events where stream_name = $1 and recorded_at = date_trunc('milliseconds', recorded_at)`, [stream]);
    expect(rows[0].n).toBe(3); // milliseconds, the precision every reader's Date holds
    for (const event of events) expect(event.hash).toBe(eventHash(event, event.prevHash ?? null));
    expect(events.map((e) => e.prevHash)).toEqual([null, events[0].hash, events[1].hash]);
  });
});

describe('migration event-store/003 on a database with events already in it', () => {
  it('truncates their recorded times to milliseconds and chains them, stream by stream, in version order', async () => {
    const old = await freshDatabase();
    try {
      await migrate(old.pool, eventStoreMigrations.filter((m) => m.id !== 'event-store/003-hash-chain'));
      const store = new PostgresEventStore(old.pool);
      await store.append('school-100001', [anEvent('A'), anEvent('B')], ExpectedVersion.noStream);
      await store.append('school-100002', [anEvent('X')], ExpectedVersion.noStream);
      await store.append('school-100001', [anEvent('C')], ExpectedVersion.exact(1));
      await old.pool.query(`update es_events set recorded_at = recorded_at + interval '0.000321 seconds'`);
      await migrate(old.pool, eventStoreMigrations);
      for (const stream of ['school-100001', 'school-100002']) {
        const events = await store.readStream(stream);
        expect(events[0].prevHash).toBeNull();
        events.forEach((e, i) => {
          expect(e.hash).toBe(eventHash(e, i === 0 ? null : events[i - 1].hash!));
          if (i > 0) expect(e.prevHash).toBe(events[i - 1].hash);
        });
      }
      const { rows } = await old.pool.query(`select count(*)::int as n from es_events where recorded_at <> date_trunc('milliseconds', recorded_at)`);
      expect(rows[0].n).toBe(0);
    } finally {
      await old.drop();
    }
  });
});
