import { evolveSchool, initialSchoolState, type SchoolEvent, type SchoolState } from '@ect/schools';
import { contactView, type TeacherAtSchool } from './contact-snapshot';

const URN = '100001';
const given = (events: SchoolEvent[]): SchoolState => events.reduce(evolveSchool, initialSchoolState());

const details = (extra: Partial<{ primaryContactEmail: string | null; secondaryContactEmail: string | null }> = {}): SchoolEvent => ({
  type: 'SchoolDetailsRecorded',
  data: { urn: URN, name: 'Oak Hill Primary', status: 'open', inEngland: true, eligibleType: true, section41Approved: false, primaryContactEmail: 'office@oak.example.org', secondaryContactEmail: 'head@oak.example.org', ...extra },
});
const partnership = (contractPeriod: number, leadProviderId: string): SchoolEvent => ({ type: 'SchoolPartnershipConfirmed', data: { contractPeriod, leadProviderId, deliveryPartnerId: 'dp-1' } });
const linked = (userId: string, firstName: string): SchoolEvent => ({ type: 'UserLinkedToSchool', data: { userId, email: `${firstName.toLowerCase()}@oak.example.org`, firstName, lastName: 'User' } });
const tutor = (name: string): SchoolEvent => ({ type: 'InductionTutorNominated', data: { name, email: `${name.split(' ')[0].toLowerCase()}@oak.example.org`, contractPeriod: 2026 } });
const ect = (trn: string, leavingOn: string | null = null): TeacherAtSchool => ({
  role: 'ect', trn, firstName: 'Ed', lastName: `Ect${trn}`, startDate: '2026-09-01', leavingOn, registeredBy: { userId: 'u1', name: 'Ann User', email: 'ann@oak.example.org' },
});

describe('who sees the school', () => {
  it('given partnerships in two periods, when the date is in one of them, then only that period\'s lead provider sees it', () => {
    const state = given([details(), partnership(2025, 'lp-old'), partnership(2026, 'lp-new')]);

    expect(contactView(URN, state, [], '2026-05-31').leadProviderId).toBe('lp-old');
    expect(contactView(URN, state, [], '2026-06-01')).toMatchObject({ leadProviderId: 'lp-new', snapshot: { contractPeriod: 2026, leadProviderId: 'lp-new' } });
  });

  it('given no partnership for the current period, then nobody sees it, and it is reviewed when the next period starts', () => {
    const state = given([details(), partnership(2027, 'lp-1')]);

    expect(contactView(URN, state, [], '2026-11-25')).toEqual({ leadProviderId: null, snapshot: null, reviewOn: '2027-06-01' });
  });

  it('given a school with no partnership at all, then it never needs a review', () => {
    expect(contactView(URN, given([details()]), [], '2026-11-25')).toEqual({ leadProviderId: null, snapshot: null, reviewOn: null });
  });
});

describe('the contact', () => {
  it('is the induction tutor when there is one, else the GIAS primary, else the secondary contact', () => {
    const base = [partnership(2026, 'lp-1')];
    const contact = (events: SchoolEvent[]) => contactView(URN, given(events), [], '2026-11-25').snapshot?.contact;

    expect(contact([details(), ...base, tutor('Sita Tutor')])).toEqual({ source: 'induction_tutor', name: 'Sita Tutor', email: 'sita@oak.example.org' });
    expect(contact([details(), ...base])).toEqual({ source: 'gias_primary', name: null, email: 'office@oak.example.org' });
    expect(contact([details({ primaryContactEmail: null }), ...base])).toEqual({ source: 'gias_secondary', name: null, email: 'head@oak.example.org' });
    expect(contact([details({ primaryContactEmail: null, secondaryContactEmail: null }), ...base])).toEqual({ source: 'none', name: null, email: null });
  });
});

describe('people in the snapshot', () => {
  it('lists the currently linked users by name, and not an unlinked one', () => {
    const state = given([details(), partnership(2026, 'lp-1'), linked('u2', 'Zed'), linked('u1', 'Ann'), linked('u3', 'Bob'), { type: 'UserUnlinkedFromSchool', data: { userId: 'u3' } }]);

    expect(contactView(URN, state, [], '2026-11-25').snapshot?.schoolUsers).toEqual([
      { name: 'Ann User', email: 'ann@oak.example.org' },
      { name: 'Zed User', email: 'zed@oak.example.org' },
    ]);
  });

  it('lists ECTs ongoing on the date (a leaving date today or later still counts) with who registered them, and reviews the day after a last day', () => {
    const state = given([details(), partnership(2026, 'lp-1')]);
    const view = contactView(URN, state, [ect('0000002', '2026-11-25'), ect('0000001'), ect('0000003', '2026-11-24')], '2026-11-25');

    expect(view.snapshot?.ects).toEqual([
      { trn: '0000001', name: 'Ed Ect0000001', startDate: '2026-09-01', leavingOn: null, registeredBy: { name: 'Ann User', email: 'ann@oak.example.org' } },
      { trn: '0000002', name: 'Ed Ect0000002', startDate: '2026-09-01', leavingOn: '2026-11-25', registeredBy: { name: 'Ann User', email: 'ann@oak.example.org' } },
    ]);
    expect(view.reviewOn).toBe('2026-11-26');
    expect(contactView(URN, state, [ect('0000002', '2026-11-25')], '2026-11-26').snapshot?.ects).toEqual([]);
  });

  it('gives the same snapshot text for the same facts, whatever order they were recorded in', () => {
    const a = given([details(), partnership(2026, 'lp-1'), linked('u1', 'Ann'), linked('u2', 'Bob')]);
    const b = given([details(), linked('u2', 'Bob'), partnership(2026, 'lp-1'), linked('u1', 'Ann')]);

    expect(JSON.stringify(contactView(URN, a, [ect('1'), ect('2')], '2026-11-25').snapshot)).toBe(JSON.stringify(contactView(URN, b, [ect('2'), ect('1')], '2026-11-25').snapshot));
  });
});
