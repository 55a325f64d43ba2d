import { fields, problem, ProblemError, validate, validationFailed, type ApiOperation, type Role, type Schema } from '@ect/nest-kit';
import { schoolApiOperations } from '@ect/schools';
import { teacherApiOperations } from '@ect/teachers';

/**
 * A command message names its HTTP twin: the same path parameters, body schema, roles and acting-user rule, taken
 * from the operations the OpenAPI document is built from, so Kafka and HTTP cannot drift apart.
 */
const OPERATION_OF = {
  RecordSchoolDetails: 'recordSchoolDetails',
  LinkUserToSchool: 'linkUser',
  UnlinkUserFromSchool: 'unlinkUser',
  NominateInductionTutor: 'nominateInductionTutor',
  ConfirmPartnership: 'confirmPartnership',
  EndPartnership: 'endPartnership',
  RegisterECT: 'registerEct',
  RegisterMentor: 'registerMentor',
  AssignMentorToECT: 'assignMentor',
  ReportECTLeaving: 'reportEctLeaving',
  ReportMentorLeaving: 'reportMentorLeaving',
  ChangeECTLeadProvider: 'changeEctLeadProvider',
} as const;

export type CommandType = keyof typeof OPERATION_OF;
export const COMMAND_TYPES = Object.keys(OPERATION_OF) as CommandType[];
const PARAMS = ['urn', 'trn', 'userId', 'contractPeriod'] as const;

export interface CommandSpec {
  roles: Role[];
  actingUser: 'required' | 'none';
  /** The HTTP path parameters, as a schema over the message's `urn`, `trn`, `userId`, `contractPeriod`. */
  params: Schema;
  /** The HTTP body schema; commands without a body take an empty (or no) payload. */
  payload: Schema;
}

const NO_BODY: Schema = { type: 'object', additionalProperties: false };

function specOf(operationId: string): CommandSpec {
  const op: ApiOperation | undefined = [...schoolApiOperations, ...teacherApiOperations].find((o) => o.operationId === operationId && o.command);
  if (!op) throw new Error(`No command operation ${operationId}: the Kafka command table is out of date`);
  const pathParams = op.pathParams ?? {};
  return {
    roles: op.roles,
    actingUser: op.actingUser ? 'required' : 'none',
    params: { type: 'object', additionalProperties: false, required: Object.keys(pathParams), properties: pathParams },
    payload: op.body ?? NO_BODY,
  };
}

export const COMMAND_SPECS = Object.fromEntries(COMMAND_TYPES.map((type) => [type, specOf(OPERATION_OF[type])])) as Record<CommandType, CommandSpec>;

/** Largest message value accepted, as HTTP's body limit. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
const TRACE_ID = { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' };

const envelope: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'idempotencyKey'],
  properties: {
    type: { type: 'string', enum: COMMAND_TYPES },
    // Checked against the command's own path parameters and body schema below.
    urn: {},
    trn: {},
    userId: {},
    contractPeriod: {},
    payload: {},
    actingUserId: { ...fields.uuid, description: 'The school user this is done for (commands that need one)' },
    idempotencyKey: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,200}$' },
    correlationId: TRACE_ID,
    causationId: TRACE_ID,
    expectedVersion: { type: 'integer', minimum: -1, maximum: 999999999999999, description: 'As HTTP If-Match' },
  },
};

export interface CommandMessage {
  type: CommandType;
  spec: CommandSpec;
  /** urn, and trn / userId / contractPeriod where the HTTP path has them, as strings (the path's form). */
  params: Record<string, string>;
  payload: Record<string, unknown>;
  actingUserId: string | null;
  idempotencyKey: string;
  correlationId?: string;
  causationId?: string;
  expectedVersion?: number;
}

/** The message value as JSON, or VALIDATION_FAILED / PAYLOAD_TOO_LARGE. */
export function parseJson(value: Buffer | null): Record<string, unknown> {
  if (value && value.length > MAX_MESSAGE_BYTES) throw new ProblemError(problem(413, 'PAYLOAD_TOO_LARGE', `A command message may hold at most ${MAX_MESSAGE_BYTES} bytes`));
  let parsed: unknown;
  try {
    parsed = value === null ? null : JSON.parse(value.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw validationFailed([{ field: '(message)', message: 'must be a JSON object: {type, urn, payload, idempotencyKey, ...}' }], 'The message is not a command');
  }
  return parsed as Record<string, unknown>;
}

/** The command type, checked first: it decides the roles needed, which are checked before the rest (as HTTP does). */
export function commandTypeOf(message: Record<string, unknown>): CommandType {
  if (typeof message.type === 'string' && message.type in COMMAND_SPECS) return message.type as CommandType;
  throw validationFailed([{ field: 'type', message: `must be one of ${COMMAND_TYPES.join(', ')}` }], 'The message is not a command');
}

/** Checks the whole message, naming every bad field: envelope fields, path parameters, and `payload.<path>`. */
export function parseCommand(message: Record<string, unknown>): CommandMessage {
  const type = commandTypeOf(message);
  const spec = COMMAND_SPECS[type];
  const errors: { field: string; message: string }[] = [];
  const collect = (check: () => void, prefix = '') => {
    try {
      check();
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      for (const e of error.problem.errors ?? []) {
        if (e.field !== '(body)') errors.push({ field: `${prefix}${e.field}`, message: e.message });
        else errors.push({ field: prefix.replace(/\.$/, ''), message: e.message === 'a JSON body is required' ? 'is required' : e.message });
      }
    }
  };
  collect(() => validate(envelope, message, 'body'));
  const params: Record<string, unknown> = {};
  for (const name of PARAMS) {
    // A contract period is a path segment over HTTP; a JSON number is its natural form here.
    if (message[name] !== undefined) params[name] = typeof message[name] === 'number' ? String(message[name]) : message[name];
  }
  collect(() => validate(spec.params, params, 'path'));
  collect(() => validate(spec.payload, message.payload ?? (spec.payload === NO_BODY ? {} : undefined), 'body'), 'payload.');
  if (spec.actingUser === 'required' && message.actingUserId === undefined) {
    errors.push({ field: 'actingUserId', message: 'is required: the DfE Sign-in id of the user this is done for' });
  }
  if (errors.length) throw validationFailed(errors);
  return {
    type,
    spec,
    params: params as Record<string, string>,
    payload: (message.payload ?? {}) as Record<string, unknown>,
    // Commands without an acting user ignore one, as HTTP ignores X-Acting-User-Id there.
    actingUserId: spec.actingUser === 'required' ? String(message.actingUserId).toLowerCase() : null,
    idempotencyKey: message.idempotencyKey as string,
    correlationId: message.correlationId as string | undefined,
    causationId: message.causationId as string | undefined,
    expectedVersion: message.expectedVersion as number | undefined,
  };
}
