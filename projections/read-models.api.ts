import { fields, type ApiOperation, type Schema } from '@ect/nest-kit';

const positionQuery = { type: 'string', pattern: '^[0-9]{1,19}$', description: 'A position a command returned: wait until the read model has reached it' };
const pageQuery = { type: 'string', pattern: '^[1-9][0-9]{0,5}$' };

export const schoolQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: { after: positionQuery, ectsPage: pageQuery, mentorsPage: pageQuery, pageSize: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|100)$' } },
};
export const teacherQuery: Schema = { type: 'object', additionalProperties: false, properties: { after: positionQuery } };

export const readModelApiOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/schools/{urn}',
    operationId: 'schoolOverview',
    tag: 'read models',
    roles: ['reader', 'school-commands'],
    summary: 'The school overview: details, linked users, induction tutor, partnerships, ECTs and mentors',
    description:
      'From the school-overview read model. A school-commands caller must send X-Acting-User-Id of a user linked to the school. ECTs and mentors are paged (pageSize, default 50, at most 100). With ?after=<position> the answer includes that write, or is 409 READ_MODEL_BEHIND.',
    pathParams: { urn: fields.urn },
    query: { after: positionQuery, ectsPage: pageQuery, mentorsPage: pageQuery, pageSize: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|100)$' } },
    responses: { 200: { description: 'The overview' } },
    errors: [[400, 'VALIDATION_FAILED'], [403, 'USER_NOT_LINKED'], [404, 'SCHOOL_NOT_FOUND'], [409, 'READ_MODEL_BEHIND']],
  },
  {
    method: 'get',
    path: '/v1/teachers/{trn}',
    operationId: 'teacherHistory',
    tag: 'read models',
    roles: ['reader'],
    summary: 'A teacher\'s registrations at every school over time',
    pathParams: { trn: { type: 'string' } },
    query: { after: positionQuery },
    responses: { 200: { description: 'The history' } },
    errors: [[400, 'VALIDATION_FAILED'], [404, 'TEACHER_NOT_FOUND'], [409, 'READ_MODEL_BEHIND']],
  },
];
