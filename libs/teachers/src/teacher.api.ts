import { commandResultSchema, fields, type ApiOperation, type Schema } from '@ect/nest-kit';

/** Request schemas of the teacher endpoints: the controller validates with them and the OpenAPI document shows them. */
const trnField = { type: 'string', minLength: 1, maxLength: 20, description: 'TRN: non-digits are removed; 5 to 7 digits, left-padded to 7' };

export const urnParam: Schema = { type: 'object', required: ['urn'], properties: { urn: fields.urn } };
export const teacherParams: Schema = { type: 'object', required: ['urn', 'trn'], properties: { urn: fields.urn, trn: trnField } };
export const trnParam: Schema = { type: 'object', required: ['trn'], properties: { trn: trnField } };

export const registerEctBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['trn', 'firstName', 'lastName', 'email', 'startDate', 'workingPattern', 'trainingProgramme', 'appropriateBodyId', 'inductionStatus'],
  properties: {
    trn: trnField,
    firstName: fields.name,
    lastName: fields.name,
    email: fields.email,
    startDate: fields.date,
    workingPattern: { type: 'string', enum: ['full_time', 'part_time'] },
    trainingProgramme: { type: 'string', enum: ['provider_led', 'school_led'] },
    leadProviderId: { ...fields.id, type: ['string', 'null'], description: 'Required for provider_led, forbidden for school_led' },
    appropriateBodyId: fields.id,
    inductionStatus: { type: 'string', minLength: 1, maxLength: 40, description: 'From the teacher record service; Passed, Failed and Exempt are refused' },
  },
};

export const registerMentorBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['trn', 'firstName', 'lastName', 'email', 'startDate'],
  properties: {
    trn: trnField,
    firstName: fields.name,
    lastName: fields.name,
    email: fields.email,
    startDate: fields.date,
    mentoringAtThisSchoolOnly: { type: 'boolean', description: 'Ends the mentor\'s registrations at other schools' },
  },
};

export const assignMentorBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['mentorTrn'],
  properties: { mentorTrn: trnField, startDate: { ...fields.date, description: 'Default: the latest of the ECT start, the mentor start and today' } },
};

export const leavingBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['leavingOn'],
  properties: { leavingOn: { ...fields.date, description: 'Last day at the school: a future date means leaving, a past one left' } },
};

export const leadProviderBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['leadProviderId'],
  properties: { leadProviderId: fields.id },
};

const result = (description: string) => ({ description, schema: commandResultSchema });
const schoolErrors: [number, string][] = [
  [403, 'USER_NOT_LINKED'],
  [404, 'SCHOOL_NOT_FOUND'],
];
const base = { tag: 'teachers', roles: ['school-commands' as const], command: true, actingUser: true };
const at = { urn: fields.urn, trn: trnField };

export const teacherApiOperations: ApiOperation[] = [
  {
    ...base, method: 'post', path: '/v1/schools/{urn}/ects', operationId: 'registerEct', pathParams: { urn: fields.urn }, body: registerEctBody,
    summary: 'Register an early career teacher at the school',
    description: 'Registered by the acting user (taken from the school stream). An ECT ongoing at another school transfers: that registration ends the day before the new start date.',
    responses: { 201: result('Registered') },
    errors: [...schoolErrors, [409, 'ECT_ALREADY_REGISTERED'], [409, 'EMAIL_IN_USE'], [422, 'SCHOOL_NOT_ELIGIBLE'], [422, 'INDUCTION_COMPLETED'], [422, 'START_DATE_TOO_EARLY'], [422, 'START_DATE_OVERLAPS_PREVIOUS_REGISTRATION']],
  },
  {
    ...base, method: 'post', path: '/v1/schools/{urn}/mentors', operationId: 'registerMentor', pathParams: { urn: fields.urn }, body: registerMentorBody,
    summary: 'Register a mentor at the school', description: 'A mentor may be ongoing at several schools; mentoringAtThisSchoolOnly ends the others.',
    responses: { 201: result('Registered') }, errors: [...schoolErrors, [409, 'MENTOR_ALREADY_REGISTERED'], [422, 'SCHOOL_NOT_ELIGIBLE']],
  },
  {
    ...base, method: 'put', path: '/v1/schools/{urn}/ects/{trn}/mentor', operationId: 'assignMentor', pathParams: at, body: assignMentorBody,
    summary: 'Assign a mentor to an ECT', description: 'Both must be ongoing at the school; an existing mentorship ends the day before the new one starts.',
    responses: { 200: result('Assigned') },
    errors: [...schoolErrors, [404, 'ECT_NOT_FOUND'], [422, 'SELF_MENTORING'], [422, 'MENTOR_NOT_AT_SCHOOL'], [422, 'MENTORSHIP_START_AFTER_LEAVING']],
  },
  {
    ...base, method: 'post', path: '/v1/schools/{urn}/ects/{trn}/leaving', operationId: 'reportEctLeaving', pathParams: at, body: leavingBody,
    summary: 'Report that an ECT is leaving or has left the school', responses: { 200: result('Recorded') },
    errors: [...schoolErrors, [404, 'ECT_NOT_FOUND'], [422, 'LEAVING_DATE_BEFORE_START']],
  },
  {
    ...base, method: 'post', path: '/v1/schools/{urn}/mentors/{trn}/leaving', operationId: 'reportMentorLeaving', pathParams: at, body: leavingBody,
    summary: 'Report that a mentor is leaving or has left the school', description: 'Their mentorships at the school end on that date.',
    responses: { 200: result('Recorded') }, errors: [...schoolErrors, [404, 'MENTOR_NOT_FOUND'], [422, 'LEAVING_DATE_BEFORE_START']],
  },
  {
    ...base, method: 'put', path: '/v1/schools/{urn}/ects/{trn}/lead-provider', operationId: 'changeEctLeadProvider', pathParams: at, body: leadProviderBody,
    summary: 'Change the lead provider of a provider-led ECT', responses: { 200: result('Changed') },
    errors: [...schoolErrors, [404, 'ECT_NOT_FOUND'], [422, 'LEAD_PROVIDER_UNCHANGED'], [422, 'SCHOOL_LED_NO_LEAD_PROVIDER']],
  },
  {
    method: 'get', path: '/v1/teachers/{trn}/stream-state', operationId: 'teacherStreamState', tag: 'teachers', roles: ['reader'], pathParams: { trn: trnField },
    summary: 'The teacher\'s current state, folded from their stream (statuses as of today)',
    responses: { 200: { description: 'The state; ETag is the stream version' } }, errors: [[400, 'VALIDATION_FAILED'], [404, 'TEACHER_NOT_FOUND']],
  },
];
