import { commandResultSchema, fields, type ApiOperation, type Schema } from '@ect/nest-kit';
import { SCHOOL_STATUSES } from './school.events';

/** Request schemas of the school endpoints: the controller validates with them and the OpenAPI document shows them. */
export const urnParam: Schema = { type: 'object', required: ['urn'], properties: { urn: fields.urn } };

export const schoolDetailsBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'status', 'inEngland', 'eligibleType', 'section41Approved'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 255 },
    status: { type: 'string', enum: [...SCHOOL_STATUSES] },
    inEngland: { type: 'boolean' },
    eligibleType: { type: 'boolean', description: 'The GIAS establishment type is eligible for the programme' },
    section41Approved: { type: 'boolean' },
    primaryContactEmail: { ...fields.email, type: ['string', 'null'] },
    secondaryContactEmail: { ...fields.email, type: ['string', 'null'] },
  },
};

export const linkUserBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'email', 'firstName', 'lastName'],
  properties: { userId: fields.uuid, email: fields.email, firstName: fields.name, lastName: fields.name },
};

export const userParams: Schema = { type: 'object', required: ['urn', 'userId'], properties: { urn: fields.urn, userId: fields.uuid } };

export const inductionTutorBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'email', 'contractPeriod'],
  properties: { name: fields.name, email: fields.email, contractPeriod: fields.contractPeriod },
};

export const partnershipParams: Schema = {
  type: 'object',
  required: ['urn', 'contractPeriod'],
  properties: { urn: fields.urn, contractPeriod: { type: 'string', pattern: '^20[2-9][0-9]$', description: 'Contract period year, 2021 or later' } },
};

export const partnershipBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['leadProviderId', 'deliveryPartnerId'],
  properties: { leadProviderId: fields.id, deliveryPartnerId: fields.id },
};

const result = (description: string) => ({ description, schema: commandResultSchema });
const urn = { urn: fields.urn };

export const schoolApiOperations: ApiOperation[] = [
  {
    method: 'put', path: '/v1/schools/{urn}', operationId: 'recordSchoolDetails', tag: 'schools', roles: ['reference-data'], command: true,
    summary: 'Record a school\'s GIAS details', description: 'Appends nothing when nothing changed. Eligible = open, in England, and an eligible type or section 41 approved.',
    pathParams: urn, body: schoolDetailsBody,
    responses: { 201: result('First recorded'), 200: result('Updated, or unchanged (eventIds empty)') }, errors: [],
  },
  {
    method: 'post', path: '/v1/schools/{urn}/users', operationId: 'linkUser', tag: 'schools', roles: ['identity-sync'], command: true,
    summary: 'Link a DfE Sign-in user to the school', description: 'Linking an already linked user with the same details appends nothing; with new details it records the change.',
    pathParams: urn, body: linkUserBody,
    responses: { 201: result('Linked'), 200: result('Already linked (details updated or unchanged)') }, errors: [[404, 'SCHOOL_NOT_FOUND']],
  },
  {
    method: 'delete', path: '/v1/schools/{urn}/users/{userId}', operationId: 'unlinkUser', tag: 'schools', roles: ['identity-sync'], command: true,
    summary: 'Unlink a user from the school', pathParams: { ...urn, userId: fields.uuid },
    responses: { 200: result('Unlinked') }, errors: [[404, 'USER_NOT_LINKED'], [404, 'SCHOOL_NOT_FOUND']],
  },
  {
    method: 'put', path: '/v1/schools/{urn}/induction-tutor', operationId: 'nominateInductionTutor', tag: 'schools', roles: ['school-commands'], command: true, actingUser: true,
    summary: 'Nominate the school induction tutor, or confirm them for a later contract period',
    description: 'The tutor need not be a linked user. The same person (email) for a later period is a confirmation.',
    pathParams: urn, body: inductionTutorBody,
    responses: { 200: result('Nominated, confirmed, or unchanged') },
    errors: [[403, 'USER_NOT_LINKED'], [404, 'SCHOOL_NOT_FOUND'], [422, 'SCHOOL_NOT_ELIGIBLE'], [422, 'CONTRACT_PERIOD_IN_PAST']],
  },
  {
    method: 'put', path: '/v1/schools/{urn}/partnerships/{contractPeriod}', operationId: 'confirmPartnership', tag: 'schools', roles: ['partnerships'], command: true,
    summary: 'Confirm the school\'s partnership with a lead provider for a contract period', description: 'At most one lead provider per school per period: another one ends the old partnership.',
    pathParams: { ...urn, contractPeriod: { type: 'string', pattern: '^20[2-9][0-9]$' } }, body: partnershipBody,
    responses: { 200: result('Confirmed or unchanged') }, errors: [[404, 'SCHOOL_NOT_FOUND'], [422, 'SCHOOL_NOT_ELIGIBLE']],
  },
  {
    method: 'delete', path: '/v1/schools/{urn}/partnerships/{contractPeriod}', operationId: 'endPartnership', tag: 'schools', roles: ['partnerships'], command: true,
    summary: 'End the school\'s partnership for a contract period', pathParams: { ...urn, contractPeriod: { type: 'string', pattern: '^20[2-9][0-9]$' } },
    responses: { 200: result('Ended') }, errors: [[404, 'SCHOOL_NOT_FOUND'], [404, 'PARTNERSHIP_NOT_FOUND']],
  },
  {
    method: 'get', path: '/v1/schools/{urn}/stream-state', operationId: 'schoolStreamState', tag: 'schools', roles: ['reader'],
    summary: 'The school\'s current state, folded from its stream', pathParams: urn,
    responses: { 200: { description: 'The state; ETag is the stream version' } }, errors: [[400, 'VALIDATION_FAILED'], [404, 'SCHOOL_NOT_FOUND']],
  },
];
