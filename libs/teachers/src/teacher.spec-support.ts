import { DomainError, fold, type Decider, type DomainEvent } from '@ect/command-runner';
import type { RegisterECT, RegisterMentor, TeacherCommand, TeacherCommandMetadata } from './teacher.commands';
import { teacherDecider } from './teacher.decider';
import type { ECTRegistered, MentorRegistered, TeacherEvent } from './teacher.events';

/** given(events).when(command).then(events | errorCode): a decider spec reads as the rule it checks. */
export function givenFor<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return (history: E[]) => ({
    when: (command: C) => ({
      then: (expected: E[] | string) => {
        const state = fold(decider, history);
        if (typeof expected !== 'string') {
          expect(decider.decide(command, state)).toEqual(expected);
          return;
        }
        let thrown: unknown;
        try {
          decider.decide(command, state);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(DomainError);
        expect((thrown as DomainError).code).toBe(expected);
      },
      /** The DomainError the command is refused with, for checking its kind and fields. */
      error: (): DomainError => {
        try {
          decider.decide(command, fold(decider, history));
        } catch (error) {
          if (error instanceof DomainError) return error;
          throw error;
        }
        throw new Error('Expected the command to be refused');
      },
    }),
  });
}

export const given = givenFor(teacherDecider);

export const TODAY = '2026-01-15';
export const SCHOOL_A = '100001';
export const SCHOOL_B = '100002';
export const TRN = '1234567';
export const MENTOR_TRN = '7654321';
export const SIT = { userId: '0b6c6f4e-8a3f-4c55-9d8e-2f1a5b7c9d01', email: 'sit@school.example', name: 'Sam Tutor' };

export function metadata(today = TODAY): TeacherCommandMetadata {
  return { now: `${today}T10:00:00.000Z`, today, actingUserId: SIT.userId };
}

export function on<C extends TeacherCommand>(command: Omit<C, 'metadata'>, today = TODAY): C {
  return { ...command, metadata: metadata(today) } as C;
}

export function registerECT(data: Partial<RegisterECT['data']> = {}, today = TODAY): RegisterECT {
  return on<RegisterECT>(
    {
      type: 'RegisterECT',
      data: {
        schoolUrn: SCHOOL_A,
        trn: TRN,
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        startDate: '2025-09-01',
        workingPattern: 'full_time',
        trainingProgramme: 'provider_led',
        leadProviderId: 'lp-1',
        appropriateBodyId: 'ab-1',
        inductionStatus: 'InProgress',
        registeredBy: SIT,
        earliestStartDate: '2024-06-01',
        ...data,
      },
    },
    today,
  );
}

export function ectRegistered(data: Partial<ECTRegistered['data']> = {}): ECTRegistered {
  return {
    type: 'ECTRegistered',
    data: {
      schoolUrn: SCHOOL_A,
      trn: TRN,
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      startDate: '2025-09-01',
      workingPattern: 'full_time',
      trainingProgramme: 'provider_led',
      leadProviderId: 'lp-1',
      appropriateBodyId: 'ab-1',
      registeredBy: SIT,
      ...data,
    },
  };
}

export function registerMentor(data: Partial<RegisterMentor['data']> = {}, today = TODAY): RegisterMentor {
  return on<RegisterMentor>(
    {
      type: 'RegisterMentor',
      data: {
        schoolUrn: SCHOOL_A,
        trn: MENTOR_TRN,
        firstName: 'Grace',
        lastName: 'Hopper',
        email: 'grace@example.com',
        startDate: '2025-09-01',
        registeredBy: SIT,
        ...data,
      },
    },
    today,
  );
}

export function mentorRegistered(data: Partial<MentorRegistered['data']> = {}): MentorRegistered {
  return {
    type: 'MentorRegistered',
    data: {
      schoolUrn: SCHOOL_A,
      trn: MENTOR_TRN,
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@example.com',
      startDate: '2025-09-01',
      trainingProgramme: 'provider_led',
      mentoringAtThisSchoolOnly: false,
      registeredBy: SIT,
      ...data,
    },
  };
}

export function ectLeftSchool(schoolUrn: string, leavingOn: string, reason: 'transfer' | 'reported' = 'reported'): TeacherEvent {
  return { type: 'ECTLeftSchool', data: { schoolUrn, leavingOn, reason } };
}

export function mentorAssigned(mentorTrn = MENTOR_TRN, startDate = '2025-09-01', schoolUrn = SCHOOL_A): TeacherEvent {
  return { type: 'MentorAssignedToECT', data: { schoolUrn, mentorTrn, startDate } };
}

export function mentorshipEnded(endedOn: string, reason: 'replaced' | 'ect_left' | 'mentor_left', mentorTrn = MENTOR_TRN, schoolUrn = SCHOOL_A): TeacherEvent {
  return { type: 'MentorshipEnded', data: { schoolUrn, mentorTrn, endedOn, reason } };
}
