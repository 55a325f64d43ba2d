import { randomUUID } from 'node:crypto';
import { eventStoreMigrations, ExpectedVersion, PostgresEventStore } from '@ect/event-store';
import { migrate } from '@ect/platform';
import { createPositionWaiter, projectionMigrations, startProjector } from '@ect/projection-runtime';
import { freshDatabase, type TestDatabase } from '../../../../test/support/database';
import { eventCounts } from './event-counts.projection';

const event = (type: string) => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data: {},
  metadata: { correlationId: randomUUID(), causationId: null, actingUserId: null, actingService: 'spec' },
});

describe('event-counts', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await freshDatabase();
    db.pool.on('error', () => undefined); // connections still closing when drop() force-drops the database
    await migrate(db.pool, [...eventStoreMigrations, ...projectionMigrations([eventCounts])]);
  });
  afterEach(async () => {
    await db.drop();
  });

  describe('given events of two categories and types', () => {
    it('counts them per day, category and type, with no stream names', async () => {
      const store = new PostgresEventStore(db.pool, { pollIntervalMs: 10 });
      await store.append('school-100001', [event('SchoolOpened'), event('UserLinkedToSchool')], ExpectedVersion.any);
      await store.append('school-100002', [event('UserLinkedToSchool')], ExpectedVersion.any);
      const { lastPosition } = await store.append('teacher-abc', [event('EctRegistered')], ExpectedVersion.any);
      const projector = startProjector({ pool: db.pool, eventStore: store, projections: [eventCounts], log: () => undefined });
      try {
        await createPositionWaiter(db.pool).waitForPosition(['event-counts'], lastPosition, 20_000);
      } finally {
        await projector.stop();
      }
      const today = (await db.pool.query(`select (now() at time zone 'utc')::date::text as d`)).rows[0].d;
      const { rows } = await db.pool.query(`select day::text, category, event_type, events::int from proj_event_counts.event_counts order by 2, 3`);
      expect(rows).toEqual([
        { day: today, category: 'school', event_type: 'SchoolOpened', events: 1 },
        { day: today, category: 'school', event_type: 'UserLinkedToSchool', events: 2 },
        { day: today, category: 'teacher', event_type: 'EctRegistered', events: 1 },
      ]);
    });
  });
});
