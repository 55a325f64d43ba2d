import { ProblemError } from '@ect/nest-kit';
import { ConfigError } from '@ect/platform';
import { kafkaCommandsFromEnv, parsePrincipalRoles } from './kafka-commands.config';
import { COMMAND_SPECS, COMMAND_TYPES, commandTypeOf, MAX_MESSAGE_BYTES, parseCommand, parseJson } from './kafka-commands.message';
import { commandTopicOf, principalOfCommandTopic, replyTopicOf } from './kafka-commands.topics';

const USER = '0b7f2c36-9a43-4f7e-8d0e-2f9a3c1d4e5f';

function problemOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error.problem;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('a message that is not a command', () => {
  it.each([
    ['not JSON', Buffer.from('garbage{')],
    ['a JSON array', Buffer.from('[1,2]')],
    ['a JSON string', Buffer.from('"RecordSchoolDetails"')],
    ['empty (a tombstone)', null],
  ])('is VALIDATION_FAILED on the whole message when it is %s', (_, value) => {
    expect(problemOf(() => parseJson(value))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: '(message)' }] });
  });

  it('is PAYLOAD_TOO_LARGE above the HTTP body limit', () => {
    expect(problemOf(() => parseJson(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 'x')))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('names the type field when the type is unknown or missing', () => {
    for (const message of [{ type: 'DropSchool' }, {}]) {
      expect(problemOf(() => commandTypeOf(message))).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'type', message: expect.stringContaining('RecordSchoolDetails') }] });
    }
  });
});

describe('the command table', () => {
  it('gives every command the roles and acting-user rule of its HTTP route', () => {
    const table = Object.fromEntries(COMMAND_TYPES.map((t) => [t, [COMMAND_SPECS[t].roles.join(','), COMMAND_SPECS[t].actingUser]]));
    expect(table).toEqual({
      RecordSchoolDetails: ['reference-data', 'none'],
      LinkUserToSchool: ['identity-sync', 'none'],
      UnlinkUserFromSchool: ['identity-sync', 'none'],
      NominateInductionTutor: ['school-commands', 'required'],
      ConfirmPartnership: ['partnerships', 'none'],
      EndPartnership: ['partnerships', 'none'],
      RegisterECT: ['school-commands', 'required'],
      RegisterMentor: ['school-commands', 'required'],
      AssignMentorToECT: ['school-commands', 'required'],
      ReportECTLeaving: ['school-commands', 'required'],
      ReportMentorLeaving: ['school-commands', 'required'],
      ChangeECTLeadProvider: ['school-commands', 'required'],
    });
  });
});

describe('a command message with bad fields', () => {
  it('names every bad field at once: envelope fields, path parameters, and payload fields under payload.', () => {
    const problem = problemOf(() =>
      parseCommand({ type: 'LinkUserToSchool', urn: '12', trn: '1234567', payload: { userId: USER, email: 'not-an-email', firstName: 'Ada' }, extra: 1 }),
    );
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'idempotencyKey', message: 'is required' },
        { field: 'extra', message: 'is not allowed' },
        { field: 'urn', message: expect.any(String) },
        { field: 'trn', message: 'is not allowed' },
        { field: 'payload.email', message: expect.any(String) },
        { field: 'payload.lastName', message: 'is required' },
      ]),
    );
  });

  it('requires the payload of a command that has an HTTP body, and an acting user where HTTP requires X-Acting-User-Id', () => {
    const problem = problemOf(() => parseCommand({ type: 'NominateInductionTutor', urn: '100001', idempotencyKey: 'k1' }));
    expect(problem.errors).toEqual([
      { field: 'payload', message: 'is required' },
      { field: 'actingUserId', message: 'is required: the DfE Sign-in id of the user this is done for' },
    ]);
  });

  it('refuses a payload on a command without an HTTP body', () => {
    const problem = problemOf(() => parseCommand({ type: 'UnlinkUserFromSchool', urn: '100001', userId: USER, payload: { why: 'left' }, idempotencyKey: 'k1' }));
    expect(problem.errors).toEqual([{ field: 'payload.why', message: 'is not allowed' }]);
  });
});

describe('a valid command message', () => {
  it('takes the contract period as a number and keeps it in its path form', () => {
    const parsed = parseCommand({ type: 'EndPartnership', urn: '100001', contractPeriod: 2026, idempotencyKey: 'end-1' });
    expect(parsed).toMatchObject({ type: 'EndPartnership', params: { urn: '100001', contractPeriod: '2026' }, payload: {}, actingUserId: null });
  });

  it('ignores an acting user where HTTP ignores X-Acting-User-Id, and lower-cases it where it is required', () => {
    const details = { name: 'Oak', status: 'open', inEngland: true, eligibleType: true, section41Approved: false };
    expect(parseCommand({ type: 'RecordSchoolDetails', urn: '100001', payload: details, actingUserId: USER, idempotencyKey: 'k' }).actingUserId).toBeNull();
    const tutor = { name: 'Tess Tutor', email: 'tess@example.org', contractPeriod: 2026 };
    expect(parseCommand({ type: 'NominateInductionTutor', urn: '100001', payload: tutor, actingUserId: USER.toUpperCase(), idempotencyKey: 'k' }).actingUserId).toBe(USER);
  });
});

describe('topics and principals', () => {
  it('derives the sender from its command topic, and the reply topic from the sender', () => {
    expect(commandTopicOf('svc-a')).toBe('ect-register.commands.v1.svc-a');
    expect(replyTopicOf('svc-a')).toBe('ect-register.commands.v1.svc-a.reply');
    expect(principalOfCommandTopic('ect-register.commands.v1.svc-a')).toBe('svc-a');
    expect(principalOfCommandTopic('ect-register.commands.v1.svc-a.reply')).toBeNull();
    expect(principalOfCommandTopic('ect-register.commands.v1')).toBeNull();
  });
});

describe('KAFKA_PRINCIPAL_ROLES', () => {
  it('maps principals (with or without User:) to roles', () => {
    expect(parsePrincipalRoles('{"User:svc-a":["identity-sync"],"svc-b":["partnerships","reader"]}')).toEqual({ 'svc-a': ['identity-sync'], 'svc-b': ['partnerships', 'reader'] });
    expect(parsePrincipalRoles(undefined)).toEqual({});
  });

  it.each([
    ['not JSON', '{svc:'],
    ['a list', '["svc-a"]'],
    ['an unknown role', '{"svc-a":["admin"]}'],
    ['a principal with a dot', '{"svc.a":["reader"]}'],
  ])('stops the start naming the variable when it is %s', (_, raw) => {
    expect(() => parsePrincipalRoles(raw)).toThrow(ConfigError);
    expect(() => parsePrincipalRoles(raw)).toThrow(/KAFKA_PRINCIPAL_ROLES/);
  });

  it('configures nothing when no sender is named', () => {
    const connection = { brokers: ['127.0.0.1:9092'], sasl: { mechanism: 'scram-sha-512' as const, username: 'api', password: 'secret-password' } };
    expect(kafkaCommandsFromEnv(connection, {})).toBeNull();
    expect(kafkaCommandsFromEnv(connection, { KAFKA_PRINCIPAL_ROLES: '{"svc-a":["reader"]}' })).toMatchObject({ groupId: 'ect-register.commands' });
  });
});
