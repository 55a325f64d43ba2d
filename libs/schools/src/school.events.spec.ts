import { SCHOOL_EVENT_TYPES, schoolEventCodec } from './school.events';

describe('the school event codec', () => {
  it('gives every school event schema version 1', () => {
    expect(SCHOOL_EVENT_TYPES).toHaveLength(8);
    for (const type of SCHOOL_EVENT_TYPES) expect(schoolEventCodec.schemaVersion(type)).toBe(1);
  });

  it('decodes a stored event to the domain event', () => {
    const data = { userId: '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b' };
    expect(schoolEventCodec.decode({ type: 'UserUnlinkedFromSchool', schemaVersion: 1, data })).toEqual({ type: 'UserUnlinkedFromSchool', data });
  });

  it('refuses an unknown type, naming it', () => {
    expect(() => schoolEventCodec.decode({ type: 'SchoolRenamed', schemaVersion: 1, data: {} })).toThrow(/Unknown school event type "SchoolRenamed"/);
    expect(() => schoolEventCodec.schemaVersion('SchoolRenamed' as never)).toThrow(/Unknown school event type/);
  });

  it('refuses a schema version it does not know', () => {
    expect(() => schoolEventCodec.decode({ type: 'UserUnlinkedFromSchool', schemaVersion: 2, data: {} })).toThrow(/version 2 is not supported/);
  });
});
