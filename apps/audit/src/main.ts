/**
 * The audit CLI: `npm run audit -- <command>` (`--help` lists them). Plain TypeScript run by tsx: no Nest application
 * is started (tsx emits no decorator metadata), only the same audit functions the HTTP endpoints call.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { DomainError } from '@ect/command-runner';
import { ConfigError } from '@ect/platform';
import { AuditSetupError, openAudit } from './connection';
import { runCommand, UsageError } from './commands';

export const HELP = `Usage: npm run audit -- <command> [options]

Commands:
  history <stream> | history school <urn> | history teacher <trn>
      Every event of the stream with its metadata: acting user, service, correlation and causation ids, recorded
      time. A table, or JSON lines that also hold the data (--json).
      --from <date-time> --to <date-time>   only events recorded in this range (inclusive)
      --type <type>                         only events of this type (repeat, or comma-separate, for several)
  state school <urn> --as-of <date-time>
  state teacher <trn> --as-of <date-time>
      The state folded from the events recorded up to then, as the stream-state endpoint showed it then.
  export [--stream <stream>] [--from <position>] [--out <file>]
      Every event (or one stream's) as JSON lines, from a global position (inclusive), to events.jsonl by default.
      Resumable: when the file exists, the export continues after the file's last complete line.
  verify [--stream <stream>] [--json]
      Checks the hash chain of one stream or of all, and reports each broken link; exits with 1 when one is.
  verify-read-models [--projection <name>] [--show-rows] [--json]
      Rebuilds each read model (or the one named) from the events into a scratch schema and compares it with the
      live tables row by row at the same position; exits with 1 when one differs. Samples show primary-key columns
      only (--show-rows: whole rows, names and emails too). Writes only its scratch schema, dropped afterwards.
  erase teacher <trn> | erase user <userId> | erase induction-tutor <email>
      Erases the person's personal data (as POST /v1/erasures does): destroys their data key, records
      PersonalDataErased; read models blank them. Prints the subject's keyed hash and the result. Writes.

Where it reads: the service's own variables. EVENT_STORE=eventstoredb reads EVENTSTORE_CONNECTION_STRING; otherwise
DATABASE_URL, or the embedded PostgreSQL that a running service started in DATA_DIR (default .data). Teacher TRNs are
turned into stream names with STREAM_KEY_SECRET, or the secret the service generated in DATA_DIR. Personal fields
are opened with MASTER_KEY, or the key the service generated in DATA_DIR (without one they are shown sealed).
Export and verify work on the stored form: personal fields sealed, as the hash chain covers them.

Exit codes: 0 done, 1 a hash chain is broken (verify), a read model differs
(verify-read-models) or an unexpected error, 2 bad usage or input, 130 interrupted.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      type: { type: 'string', multiple: true },
      'as-of': { type: 'string' },
      stream: { type: 'string' },
      out: { type: 'string' },
      projection: { type: 'string' },
      'show-rows': { type: 'boolean' },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return command || values.help ? 0 : 2;
  }
  const connection = await openAudit();
  const abort = new AbortController();
  // Ctrl-C: an export stops after the page being written (its file stays resumable), verify-read-models after its
  // batch (dropping its scratch schema); anything else, or a second Ctrl-C, ends at once.
  const onSigint = () => ((command === 'export' || command === 'verify-read-models') && !abort.signal.aborted ? abort.abort() : process.exit(130));
  process.on('SIGINT', onSigint);
  try {
    return await runCommand(connection, command, args, { ...values, out: values.out ? resolve(values.out) : undefined }, abort.signal);
  } finally {
    process.off('SIGINT', onSigint);
    await connection.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    const known = error instanceof UsageError || error instanceof AuditSetupError || error instanceof ConfigError || error instanceof DomainError;
    const parse = (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${known || parse ? error.message : (error?.stack ?? error)}\n`);
    if (error instanceof UsageError || parse) process.stderr.write('Run npm run audit -- --help for the commands.\n');
    process.exit(known || parse ? 2 : 1);
  },
);
