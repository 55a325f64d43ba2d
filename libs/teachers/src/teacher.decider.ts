import { assertNever, type Decider } from '@ect/command-runner';
import { changeEctLeadProvider, reportEctLeaving } from './ect.decisions';
import { registerEct } from './ect-registration.decisions';
import { registerMentor, reportMentorLeaving } from './mentor.decisions';
import { assignMentorToEct, endMentorshipBecauseMentorLeft } from './mentorship.decisions';
import type { TeacherCommand } from './teacher.commands';
import type { TeacherEvent } from './teacher.events';
import { evolveTeacher, initialTeacherState, type TeacherState } from './teacher.state';

/** The decider of a teacher's stream `teacher-<key>`: pure; `today` and facts from other streams come in the command. */
export const teacherDecider: Decider<TeacherCommand, TeacherEvent, TeacherState> = {
  initialState: initialTeacherState,
  evolve: evolveTeacher,
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterECT':
        return registerEct(command, state);
      case 'RegisterMentor':
        return registerMentor(command, state);
      case 'AssignMentorToECT':
        return assignMentorToEct(command, state);
      case 'ReportECTLeaving':
        return reportEctLeaving(command, state);
      case 'ReportMentorLeaving':
        return reportMentorLeaving(command, state);
      case 'EndMentorshipBecauseMentorLeft':
        return endMentorshipBecauseMentorLeft(command, state);
      case 'ChangeECTLeadProvider':
        return changeEctLeadProvider(command, state);
      default:
        return assertNever(command);
    }
  },
};
