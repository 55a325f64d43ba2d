/**
 * What callers ask of the teacher capability (over HTTP or Kafka), before the wiring gathers the facts from other
 * streams that the domain commands need. TRNs are as given; the workflows normalise them.
 */
export type TeacherRequest =
  | {
      type: 'RegisterECT';
      urn: string;
      input: {
        trn: string;
        firstName: string;
        lastName: string;
        email: string;
        startDate: string;
        workingPattern: string;
        trainingProgramme: string;
        leadProviderId?: string | null;
        appropriateBodyId: string;
        inductionStatus: string;
      };
    }
  | {
      type: 'RegisterMentor';
      urn: string;
      input: { trn: string; firstName: string; lastName: string; email: string; startDate: string; mentoringAtThisSchoolOnly?: boolean };
    }
  | { type: 'AssignMentorToECT'; urn: string; trn: string; input: { mentorTrn: string; startDate?: string } }
  | { type: 'ReportECTLeaving'; urn: string; trn: string; input: { leavingOn: string } }
  | { type: 'ReportMentorLeaving'; urn: string; trn: string; input: { leavingOn: string } }
  | { type: 'ChangeECTLeadProvider'; urn: string; trn: string; input: { leadProviderId: string } };

export type TeacherRequestType = TeacherRequest['type'];
