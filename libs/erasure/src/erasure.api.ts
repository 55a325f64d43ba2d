import { commandResultSchema, fields, type ApiOperation, type Schema } from '@ect/nest-kit';

const subject = (type: string, idField: string, id: Schema): Schema => ({
  type: 'object',
  additionalProperties: false,
  required: ['type', idField],
  properties: { type: { const: type }, [idField]: id },
});

export const erasureBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['subject'],
  properties: {
    subject: {
      description: 'The person: a teacher by TRN, a school user by DfE Sign-in id, an induction tutor by the email they were nominated with',
      oneOf: [
        subject('teacher', 'trn', { type: 'string', minLength: 5, maxLength: 20, description: 'TRN: 5 to 7 digits' }),
        subject('user', 'userId', fields.uuid),
        subject('induction-tutor', 'email', fields.email),
      ],
    },
  },
};

export const erasureApiOperations: ApiOperation[] = [
  {
    method: 'post', path: '/v1/erasures', operationId: 'erasePersonalData', tag: 'data protection', roles: ['data-protection'], command: true,
    summary: 'Erase a person\'s personal data: destroy their data key and record PersonalDataErased',
    description:
      'From the answer on, every reader gets "[erased]" for their names, emails and TRNs; read models blank them once they ' +
      'reach the returned position. History stays replayable and the hash chain intact. Asking again appends nothing (200).',
    body: erasureBody,
    responses: { 201: { description: 'Erased', schema: commandResultSchema }, 200: { description: 'Already erased (eventIds empty)', schema: commandResultSchema } },
    errors: [[400, 'VALIDATION_FAILED'], [404, 'SUBJECT_NOT_FOUND']],
  },
];
