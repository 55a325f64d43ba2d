import { emailReservationDecider, emailReservationEventCodec, type ClaimEmail, type EmailReservationEvent, type ReleaseEmail } from './email-reservation.decider';
import { givenFor, metadata } from './teacher.spec-support';

const given = givenFor(emailReservationDecider);
const ADA = 'key-of-ada';
const BEA = 'key-of-bea';

function claim(teacherKey: string, today = '2026-01-15'): ClaimEmail {
  return { type: 'ClaimEmail', data: { teacherKey }, metadata: metadata(today) };
}

function release(teacherKey: string, freeFrom: string): ReleaseEmail {
  return { type: 'ReleaseEmail', data: { teacherKey, freeFrom }, metadata: metadata() };
}

const claimed = (teacherKey: string): EmailReservationEvent => ({ type: 'EmailClaimed', data: { teacherKey } });
const released = (teacherKey: string, freeFrom: string): EmailReservationEvent => ({ type: 'EmailReleased', data: { teacherKey, freeFrom } });

describe('claiming an email nobody holds', () => {
  it('records the claim for the teacher', () => {
    given([]).when(claim(ADA)).then([claimed(ADA)]);
  });
});

describe('claiming an email the same teacher holds', () => {
  it('changes nothing', () => {
    given([claimed(ADA)]).when(claim(ADA)).then([]);
  });

  it('holds it again when they had released it', () => {
    given([claimed(ADA), released(ADA, '2026-04-01')]).when(claim(ADA)).then([claimed(ADA)]);
  });
});

describe('claiming an email another teacher holds', () => {
  it('refuses as EMAIL_IN_USE', () => {
    given([claimed(ADA)]).when(claim(BEA)).then('EMAIL_IN_USE');
    expect(given([claimed(ADA)]).when(claim(BEA)).error().kind).toBe('conflict');
  });

  it('refuses while their release date has not come', () => {
    given([claimed(ADA), released(ADA, '2026-04-01')]).when(claim(BEA, '2026-03-31')).then('EMAIL_IN_USE');
  });

  it('records the claim from the day it is free', () => {
    given([claimed(ADA), released(ADA, '2026-04-01')]).when(claim(BEA, '2026-04-01')).then([claimed(BEA)]);
  });
});

describe('releasing an email', () => {
  it('records the date it is free from when the teacher holds it', () => {
    given([claimed(ADA)]).when(release(ADA, '2026-04-01')).then([released(ADA, '2026-04-01')]);
  });

  it('moves that date when released again with another', () => {
    given([claimed(ADA), released(ADA, '2026-04-01')]).when(release(ADA, '2026-03-01')).then([released(ADA, '2026-03-01')]);
  });

  it('changes nothing when the teacher does not hold it, or released it from that date already', () => {
    given([]).when(release(ADA, '2026-04-01')).then([]);
    given([claimed(BEA)]).when(release(ADA, '2026-04-01')).then([]);
    given([claimed(ADA), released(ADA, '2026-04-01')]).when(release(ADA, '2026-04-01')).then([]);
  });
});

describe('the email reservation codec', () => {
  it('decodes version 1 events and refuses anything else', () => {
    expect(emailReservationEventCodec.decode({ type: 'EmailClaimed', schemaVersion: 1, data: { teacherKey: ADA } })).toEqual(claimed(ADA));
    expect(() => emailReservationEventCodec.decode({ type: 'EmailStolen', schemaVersion: 1, data: {} })).toThrow(/Unknown/);
    expect(() => emailReservationEventCodec.decode({ type: 'EmailClaimed', schemaVersion: 2, data: {} })).toThrow(/version/);
  });
});
