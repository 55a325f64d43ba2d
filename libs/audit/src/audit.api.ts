import { fields, type ApiOperation, type Schema } from '@ect/nest-kit';

/** Request schemas of the audit endpoints: the controller validates with them and the OpenAPI document shows them. */
export const streamParam: Schema = {
  type: 'object',
  required: ['stream'],
  properties: { stream: { type: 'string', minLength: 3, maxLength: 200, description: 'Stream name, e.g. school-100001 or teacher-<key>' } },
};

const dateTime = (description: string) => ({ type: 'string', format: 'date-time', description });

export const historyQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: dateTime('Only events recorded at or after this instant'),
    to: dateTime('Only events recorded at or before this instant'),
    type: { type: 'string', minLength: 1, maxLength: 1000, description: 'Only these event types (comma-separated)' },
  },
};

export const asOfQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['asOf'],
  properties: { asOf: dateTime('The instant whose state is wanted') },
};

export const urnParam: Schema = { type: 'object', required: ['urn'], properties: { urn: fields.urn } };
export const trnParam: Schema = {
  type: 'object',
  required: ['trn'],
  properties: { trn: { type: 'string', minLength: 5, maxLength: 20, description: 'TRN: 5 to 7 digits (non-digits are removed)' } },
};

export const verifyBody: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: { stream: { type: 'string', minLength: 3, maxLength: 200, description: 'Only this stream; all streams when absent' } },
};

const auditEvent: Schema = {
  type: 'object',
  required: ['position', 'stream', 'version', 'eventId', 'type', 'schemaVersion', 'recordedAt', 'metadata', 'data', 'hash', 'prevHash'],
  properties: {
    position: { type: 'string' },
    stream: { type: 'string' },
    version: { type: 'integer' },
    eventId: { type: 'string', format: 'uuid' },
    type: { type: 'string' },
    schemaVersion: { type: 'integer' },
    recordedAt: { type: 'string', format: 'date-time' },
    metadata: { type: 'object', description: 'correlationId, causationId, actingUserId, actingService, and any later keys' },
    data: { type: 'object' },
    hash: { type: ['string', 'null'] },
    prevHash: { type: ['string', 'null'] },
  },
};

const stateAsOf = (view: string): Schema => ({
  type: 'object',
  required: ['asOf', 'stream', 'streamVersion', 'position', 'lastRecordedAt', 'state'],
  properties: {
    asOf: { type: 'string', format: 'date-time' },
    stream: { type: 'string' },
    streamVersion: { type: 'integer' },
    position: { type: 'string' },
    lastRecordedAt: { type: 'string', format: 'date-time' },
    state: { type: 'object', description: `The ${view} as its stream-state endpoint showed it then` },
  },
});

const verifyReport: Schema = {
  type: 'object',
  required: ['ok', 'streamsChecked', 'eventsChecked', 'findings'],
  properties: {
    ok: { type: 'boolean' },
    streamsChecked: { type: 'integer' },
    eventsChecked: { type: 'integer' },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['stream', 'version', 'position', 'eventId', 'problem', 'detail'],
        properties: {
          stream: { type: 'string' },
          version: { type: ['integer', 'null'] },
          position: { type: ['string', 'null'] },
          eventId: { type: ['string', 'null'] },
          problem: { type: 'string', enum: ['changed-content', 'deleted-event', 'inserted-event', 'reordered-events', 'renumbered-event'] },
          detail: { type: 'string' },
        },
      },
    },
  },
};

export const auditApiOperations: ApiOperation[] = [
  {
    method: 'get', path: '/v1/audit/streams/{stream}', operationId: 'auditStreamHistory', tag: 'audit', roles: ['auditor'],
    summary: 'Every event of a stream with its metadata (acting user, service, correlation and causation ids, recorded time)',
    pathParams: { stream: (streamParam.properties as Record<string, Schema>).stream }, query: historyQuery.properties as Record<string, Schema>,
    responses: { 200: { description: 'The events in version order', schema: { type: 'object', properties: { stream: { type: 'string' }, events: { type: 'array', items: auditEvent } } } } },
    errors: [[400, 'VALIDATION_FAILED'], [404, 'STREAM_NOT_FOUND']],
  },
  {
    method: 'get', path: '/v1/audit/schools/{urn}/state', operationId: 'auditSchoolStateAsOf', tag: 'audit', roles: ['auditor'],
    summary: 'The school\'s state as of an instant, folded from the events recorded up to then', pathParams: { urn: fields.urn },
    query: { asOf: { ...dateTime('The instant'), required: true } },
    responses: { 200: { description: 'The state then', schema: stateAsOf('school') } }, errors: [[400, 'VALIDATION_FAILED'], [404, 'SCHOOL_NOT_FOUND']],
  },
  {
    method: 'get', path: '/v1/audit/teachers/{trn}/state', operationId: 'auditTeacherStateAsOf', tag: 'audit', roles: ['auditor'],
    summary: 'The teacher\'s state as of an instant; statuses as of that instant\'s UTC date', pathParams: { trn: (trnParam.properties as Record<string, Schema>).trn },
    query: { asOf: { ...dateTime('The instant'), required: true } },
    responses: { 200: { description: 'The state then', schema: stateAsOf('teacher') } }, errors: [[400, 'VALIDATION_FAILED'], [404, 'TEACHER_NOT_FOUND']],
  },
  {
    method: 'post', path: '/v1/audit/verify', operationId: 'auditVerifyChains', tag: 'audit', roles: ['auditor'],
    summary: 'Verify the hash chain of one stream or of all, reporting each broken link', body: verifyBody,
    description: 'Reads only. 200 with ok=false and findings when a chain is broken.',
    responses: { 200: { description: 'The report', schema: verifyReport } }, errors: [[400, 'VALIDATION_FAILED'], [404, 'STREAM_NOT_FOUND']],
  },
];
