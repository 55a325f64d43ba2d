import {
  exportEvents,
  historyFilter,
  parseInstant,
  schoolStateAsOf,
  schoolStreamFor,
  streamHistory,
  teacherStateAsOf,
  teacherStreamFor,
  verifyChains,
} from '@ect/audit';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ect/command-runner';
import { eraseSubject, subjectOf, type ErasureRequest } from '@ect/erasure';
import { AuditSetupError, type AuditConnection } from './connection';
import { historyTable, verifyText } from './output';
import { progressReporter } from './progress';
import { verifyReadModels } from './read-models';

export class UsageError extends Error {}

export interface Options {
  json?: boolean;
  from?: string;
  to?: string;
  type?: string[];
  'as-of'?: string;
  stream?: string;
  out?: string;
  projection?: string;
  'show-rows'?: boolean;
}

const print = (text: string) => process.stdout.write(`${text}\n`);

/** Runs one command; resolves with the exit code. */
export async function runCommand(connection: AuditConnection, command: string, args: string[], options: Options, signal: AbortSignal): Promise<number> {
  const { store } = connection.source;
  switch (command) {
    case 'history': {
      const stream = await streamOf(connection, args, 'history');
      const events = await streamHistory(store, stream, historyFilter({ from: options.from, to: options.to, type: options.type }));
      print(options.json ? events.map((e) => JSON.stringify(e)).join('\n') : historyTable(events));
      return 0;
    }
    case 'state': {
      const [kind, id] = args;
      if (!options['as-of']) throw new UsageError('state needs --as-of <date-time>');
      const asOf = parseInstant(options['as-of'], 'as-of');
      if (kind === 'school' && id && args.length === 2) return show(await schoolStateAsOf(store, connection.calendar, id, asOf));
      if (kind === 'teacher' && id && args.length === 2) return show(await teacherStateAsOf(store, await connection.streamKeySecret(), id, asOf));
      throw new UsageError('usage: state school <urn> --as-of <date-time> | state teacher <trn> --as-of <date-time>');
    }
    case 'export': {
      if (args.length > 0) throw new UsageError(`export takes options only, not ${args.join(' ')}`);
      const from = options.from === undefined ? undefined : position(options.from);
      const progress = progressReporter();
      const file = options.out ?? 'events.jsonl';
      const result = await exportEvents({ store, file, stream: options.stream, from, signal, onProgress: progress.update });
      progress.done();
      const resumed = result.resumedAfter === null ? '' : ` (resumed after position ${result.resumedAfter})`;
      const last = result.lastPosition === null ? '' : `; last position ${result.lastPosition}`;
      if (!result.complete) {
        process.stderr.write(`Interrupted after ${result.exported} event(s) to ${file}${last}. Run the same command again to continue.\n`);
        return 130;
      }
      print(`Exported ${result.exported} event(s) to ${file}${resumed}${last}.`);
      return 0;
    }
    case 'verify': {
      if (args.length > 0) throw new UsageError(`verify takes options only (--stream <s>), not ${args.join(' ')}`);
      const report = await verifyChains(connection.source, { stream: options.stream });
      print(options.json ? JSON.stringify(report, null, 2) : verifyText(report));
      return report.ok ? 0 : 1;
    }
    case 'erase':
      return erase(connection, args);
    case 'verify-read-models':
      if (args.length > 0) throw new UsageError(`verify-read-models takes options only (--projection <name>, --show-rows, --json), not ${args.join(' ')}`);
      return verifyReadModels(connection, { projection: options.projection, showRows: options['show-rows'], json: options.json }, signal);
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
  }
}

async function streamOf(connection: AuditConnection, args: string[], command: string): Promise<string> {
  if (args.length === 1) return args[0];
  if (args.length === 2 && args[0] === 'school') return schoolStreamFor(args[1]);
  if (args.length === 2 && args[0] === 'teacher') return teacherStreamFor(args[1], await connection.streamKeySecret());
  throw new UsageError(`usage: ${command} <stream> | ${command} school <urn> | ${command} teacher <trn>`);
}

/** The same function as POST /v1/erasures; prints the subject's keyed hash and the result, never the person's id. */
async function erase(connection: AuditConnection, args: string[]): Promise<number> {
  const [type, id] = args;
  const request = (
    type === 'teacher' ? { type, trn: id } : type === 'user' ? { type, userId: id } : type === 'induction-tutor' ? { type, email: id } : null
  ) as ErasureRequest | null;
  if (!request || !id || args.length !== 2) throw new UsageError('usage: erase teacher <trn> | erase user <userId> | erase induction-tutor <email>');
  const store = connection.personalData;
  if (!store) throw new AuditSetupError('erase needs the master key: set MASTER_KEY, or DATA_DIR to the service\'s');
  const subject = subjectOf(request, await connection.streamKeySecret());
  const context = { correlationId: randomUUID(), causationId: null, actingUserId: null, actingService: 'ect-register-audit-cli' };
  const result = await eraseSubject(store, new CommandRunner(store, { newId: randomUUID }), request, context);
  const recorded = result.eventIds.length > 0 ? 'erased' : 'already erased';
  return show({ subject, result: recorded, streamVersion: result.streamVersion, position: result.position?.toString() ?? null, eventIds: result.eventIds });
}

function show(value: unknown): number {
  print(JSON.stringify(value, null, 2));
  return 0;
}

function position(text: string): bigint {
  if (!/^\d+$/.test(text)) throw new UsageError(`--from must be a global position (a whole number), got ${JSON.stringify(text)}`);
  return BigInt(text);
}
