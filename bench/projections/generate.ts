import { randomUUID } from 'node:crypto';
import { ExpectedVersion, type NewEvent, type PostgresEventStore } from '@ect/event-store';

/**
 * A realistic history for the projection benchmark: per school its details, three linked users (one unlinked
 * later), an induction tutor, a partnership; twenty ECTs (registered, mentored, some leaving) and five mentors.
 * 72 events per school. Events go through the real adapter (es_append), several streams at a time.
 */
export const EVENTS_PER_SCHOOL = 72;

const meta = (actingUserId: string | null) => ({ correlationId: randomUUID(), causationId: null, actingUserId, actingService: 'bench' });
const ev = (type: string, data: Record<string, unknown>, actingUserId: string | null = null): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata: meta(actingUserId),
});

function schoolStreams(index: number): [string, NewEvent[]][] {
  const urn = String(100000 + index);
  const users = [0, 1, 2].map((u) => ({ userId: randomUUID(), email: `user${u}@${urn}.example.org`, firstName: `First${u}`, lastName: `Last${u}` }));
  const by = { userId: users[0].userId, email: users[0].email, name: 'First0 Last0' };
  const school: NewEvent[] = [
    ev('SchoolDetailsRecorded', { urn, name: `School ${urn}`, status: 'open', inEngland: true, eligibleType: true, section41Approved: false, primaryContactEmail: `office@${urn}.example.org`, secondaryContactEmail: null }),
    ...users.map((u) => ev('UserLinkedToSchool', u)),
    ev('InductionTutorNominated', { name: 'Tutor Person', email: `tutor@${urn}.example.org`, contractPeriod: 2026 }, users[0].userId),
    ev('SchoolPartnershipConfirmed', { contractPeriod: 2026, leadProviderId: `lp-${index % 8}`, deliveryPartnerId: `dp-${index % 20}` }),
    ev('UserUnlinkedFromSchool', { userId: users[2].userId }),
  ];
  const streams: [string, NewEvent[]][] = [[`school-${urn}`, school]];
  const mentorTrns: string[] = [];
  for (let m = 0; m < 5; m++) {
    const trn = String(1000000 + index * 25 + m).padStart(7, '0');
    mentorTrns.push(trn);
    streams.push([`teacher-m${index}x${m}`, [ev('MentorRegistered', { schoolUrn: urn, trn, firstName: 'Men', lastName: `Tor${m}`, email: `m${m}@${urn}.example.org`, startDate: '2026-09-01', trainingProgramme: 'provider_led', mentoringAtThisSchoolOnly: false, registeredBy: by }, by.userId)]]);
  }
  for (let e = 0; e < 20; e++) {
    const trn = String(1000000 + index * 25 + 5 + e).padStart(7, '0');
    streams.push([
      `teacher-e${index}x${e}`,
      [
        ev('ECTRegistered', { schoolUrn: urn, trn, firstName: 'Ect', lastName: `Number${e}`, email: `e${e}@${urn}.example.org`, startDate: '2026-09-01', workingPattern: 'full_time', trainingProgramme: 'provider_led', leadProviderId: `lp-${index % 8}`, appropriateBodyId: 'ab-1', registeredBy: by }, by.userId),
        ev('MentorAssignedToECT', { schoolUrn: urn, mentorTrn: mentorTrns[e % 5], startDate: '2026-09-15' }, by.userId),
        ev('ECTLeftSchool', { schoolUrn: urn, leavingOn: '2027-07-31', reason: 'reported' }, by.userId),
      ],
    ]);
  }
  return streams;
}

/** Appends schools' histories until `total` events are stored (rounded up to whole schools); reports progress. */
export async function generate(store: PostgresEventStore, total: number, onProgress: (done: number) => void): Promise<number> {
  const schools = Math.ceil(total / EVENTS_PER_SCHOOL);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < schools) {
      const index = next++;
      for (const [stream, events] of schoolStreams(index)) {
        await store.append(stream, events, ExpectedVersion.noStream);
        done += events.length;
      }
      if (index % 200 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return done;
}
