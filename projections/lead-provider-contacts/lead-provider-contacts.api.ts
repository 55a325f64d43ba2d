import { fields, type ApiOperation, type Schema } from '@ect/nest-kit';

const positionQuery = { type: 'string', pattern: '^[0-9]{1,19}$', description: 'A position a command returned: wait until the contacts have reached it' };
const pageQuery = { type: 'string', pattern: '^[1-9][0-9]{0,5}$' };
const pageSizeQuery = { type: 'string', pattern: '^([1-9]|[1-9][0-9]|100)$' };

export const contactsPath: Schema = { type: 'object', required: ['id'], properties: { id: fields.id } };
export const contactsQuery: Schema = { type: 'object', additionalProperties: false, properties: { after: positionQuery, page: pageQuery, pageSize: pageSizeQuery } };

export const leadProviderContactsApiOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/lead-providers/{id}/contacts',
    operationId: 'leadProviderContacts',
    tag: 'lead provider feeds',
    roles: ['lead-provider'],
    summary: 'The contact snapshot of every school the lead provider is partnered with in the current contract period',
    description:
      'The same snapshots as the Kafka topic ect-register.lead-provider.{id}.contacts.v1 (docs/feeds), for providers that cannot use Kafka. ' +
      'A lead provider may read only its own id (token claim leadProviderId); another id is 403 FORBIDDEN. Ordered by URN, paged ' +
      '(pageSize, default 50, at most 100). With ?after=<position> the answer includes that write, or is 409 READ_MODEL_BEHIND.',
    pathParams: { id: fields.id },
    query: { after: positionQuery, page: pageQuery, pageSize: pageSizeQuery },
    responses: { 200: { description: 'A page of contact snapshots: {leadProviderId, page, pageSize, total, items}' } },
    errors: [[400, 'VALIDATION_FAILED'], [409, 'READ_MODEL_BEHIND']],
  },
];
