import { randomBytes, randomUUID } from 'node:crypto';
import { ExpectedVersion, PostgresEventStore, eventHash, eventStoreMigrations, type NewEvent } from '@ect/event-store';
import { migrate } from '@ect/platform';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { EncryptingEventStore } from './encrypting-event-store';
import { erasureStreamName, PERSONAL_DATA_ERASED } from './erasure.events';
import { KeyStore, personalDataMigrations } from './key-store';
import { UnmappedEventTypeError } from './personal-fields';
import { ERASED, subjectHash, subjectRef } from './subjects';

// The decorator on a real PostgreSQL: what is stored, what readers get, and what an erasure changes.
const SECRET = 'stream-key-secret-for-the-personal-data-spec';
const MASTER = randomBytes(32);
const TRN = '8317529';
const USER = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const teacherStream = `teacher-${subjectHash('teacher', TRN, SECRET)}`;
const teacherSubject = subjectRef({ type: 'teacher', id: subjectHash('teacher', TRN, SECRET) });
const userSubject = subjectRef({ type: 'user', id: subjectHash('user', USER, SECRET) });

let db: TestDatabase;
let store: EncryptingEventStore;
beforeAll(async () => {
  db = await freshDatabase();
  await migrate(db.pool, [...eventStoreMigrations, ...personalDataMigrations]);
  store = new EncryptingEventStore(new PostgresEventStore(db.pool), new KeyStore(db.pool, MASTER), SECRET);
});
afterAll(() => db.drop());

const meta = { correlationId: 'c-1', causationId: null, actingUserId: USER, actingService: 'spec' };
const event = (type: string, data: Record<string, unknown>): NewEvent => ({ eventId: randomUUID(), type, schemaVersion: 1, data, metadata: meta });
const registered = (firstName: string, email: string) =>
  event('ECTRegistered', {
    schoolUrn: '100001', trn: TRN, firstName, lastName: 'Zephyrine', email, startDate: '2025-09-01', workingPattern: 'full_time',
    trainingProgramme: 'school_led', leadProviderId: null, appropriateBodyId: 'ab-1', registeredBy: { userId: USER, email: 'una.user@oak.example.org', name: 'Una User' },
  });
const storedText = async () => (await db.pool.query(`select string_agg(data::text || metadata::text, ' ') as t from es_events`)).rows[0].t as string;

describe('appending an event with personal data', () => {
  it('stores names, emails and the TRN only as envelopes, and gives them back in clear with their subjects', async () => {
    await store.append(teacherStream, [registered('Quillon', 'quillon.zephyrine@example.org')], ExpectedVersion.noStream);
    const text = await storedText();
    for (const plain of ['Quillon', 'Zephyrine', 'quillon.zephyrine@', TRN, 'Una User', 'una.user@']) expect(text).not.toContain(plain);
    expect(text).toContain(teacherSubject);
    expect(text).toContain(`"appropriateBodyId": "ab-1"`);

    const [read] = await store.readStream(teacherStream);
    expect(read.data).toMatchObject({ trn: TRN, firstName: 'Quillon', email: 'quillon.zephyrine@example.org', registeredBy: { userId: USER, name: 'Una User' } });
    expect(read.personalData).toMatchObject({ trn: teacherSubject, email: teacherSubject, 'registeredBy.email': userSubject });
    expect((await store.readAll()).map((e) => e.data.firstName)).toEqual(['Quillon']);
  });

  it('refuses an event type outside the map in a domain stream, and stores other streams as they are', async () => {
    await expect(store.append('school-100009', [event('SomethingNew', { email: 'x@example.org' })], ExpectedVersion.any)).rejects.toThrow(UnmappedEventTypeError);
    await store.append('probe-1', [event('Probe', { note: 'free text' })], ExpectedVersion.any);
    expect((await store.stored.readStream('probe-1'))[0].data).toEqual({ note: 'free text' });
  });
});

describe('after the subject\'s key is destroyed', () => {
  it('reads the fields as erased, keeps other subjects\' fields, and the hash chain over the stored form still holds', async () => {
    const other = new EncryptingEventStore(store.stored, new KeyStore(db.pool, MASTER, { ttlMs: 60_000 }), SECRET);
    expect((await other.readStream(teacherStream))[0].data.firstName).toBe('Quillon'); // cached in the other process

    expect(await store.keys.erase(teacherSubject)).toEqual({ known: true, destroyed: 1 });
    const [read] = await store.readStream(teacherStream);
    expect(read.data).toMatchObject({ trn: ERASED, firstName: ERASED, lastName: ERASED, email: ERASED, registeredBy: { name: 'Una User' } });
    for (const stored of await store.stored.readStream(teacherStream)) expect(eventHash(stored, stored.prevHash ?? null)).toBe(stored.hash);

    // Until its cache expires, the other process still has the key; the PersonalDataErased event ends that at once.
    expect((await other.readStream(teacherStream))[0].data.firstName).toBe('Quillon');
    const subject = { type: 'teacher' as const, id: teacherSubject.slice('teacher:'.length) };
    await store.append(erasureStreamName(subject), [event(PERSONAL_DATA_ERASED, { subject })], ExpectedVersion.noStream);
    const seen = await other.readAll();
    expect(seen.find((e) => e.type === 'ECTRegistered')!.data.firstName).toBe(ERASED);
    expect(await store.keys.erase(teacherSubject)).toEqual({ known: true, destroyed: 0 });
  });

  it('stores values already erased as they are, and new personal data later under a new key generation', async () => {
    await store.append(teacherStream, [registered(ERASED, 'quillon.new@example.org')], ExpectedVersion.exact(0));
    const events = await store.readStream(teacherStream);
    expect(events.map((e) => [e.data.firstName, e.data.email])).toEqual([[ERASED, ERASED], [ERASED, 'quillon.new@example.org']]);
    const stored = (await store.stored.readStream(teacherStream))[1].data;
    expect(stored.firstName).toBe(ERASED);
    expect(stored.email).toMatchObject({ s: teacherSubject, g: 2 });
  });

  it('refuses to read with another master key, saying so without naming anyone', async () => {
    const wrongKey = new EncryptingEventStore(store.stored, new KeyStore(db.pool, randomBytes(32)), SECRET);
    await expect(wrongKey.readStream(teacherStream)).rejects.toThrow(/does not unwrap with this MASTER_KEY/);
  });
});

describe('two processes creating the first key of a subject at once', () => {
  it('agree on one key', async () => {
    const stores = [1, 2, 3].map(() => new EncryptingEventStore(store.stored, new KeyStore(db.pool, MASTER), SECRET));
    const id = '9a8b7c6d-1e2f-4a3b-9c4d-5e6f7a8b9c0d';
    const link = () => event('UserLinkedToSchool', { userId: id, email: 'vesna@example.org', firstName: 'Vesna', lastName: 'Quarrington' });
    await Promise.all(stores.map((s, i) => s.append(`school-10000${i + 2}`, [link()], ExpectedVersion.any)));
    const keys = await db.pool.query(`select count(*)::int as n from pd_keys where subject = $1`, [subjectRef({ type: 'user', id: subjectHash('user', id, SECRET) })]);
    expect(keys.rows[0].n).toBe(1);
    for (const s of stores) expect((await s.readAll()).filter((e) => e.data.firstName === 'Vesna')).toHaveLength(3);
  });
});
