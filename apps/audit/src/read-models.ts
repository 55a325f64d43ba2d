import {
  ProjectionNotDeployedError,
  verifyProjection,
  type Projection,
  type TableComparison,
  type VerifyProgress,
  type VerifyResult,
} from '@ect/projection-runtime';
import { projections as registry } from '../../projector/src/projections';
import { AuditSetupError, type AuditConnection } from './connection';

export interface ReadModelOptions {
  projection?: string;
  /** Whole rows in the samples; by default primary-key columns only (rows hold names and emails). */
  showRows?: boolean;
  json?: boolean;
}

type Verified<S> = { projection: string; status: S; result: VerifyResult };
type Unverified<S> = { projection: string; status: S; reason: string };
type Outcome = Verified<'ok'> | Verified<'differs'> | Unverified<'skipped'> | Unverified<'not-verified'>;

/**
 * `verify-read-models`: rebuilds each read model (or the one named) into a scratch copy from the events and
 * compares it with the live tables at the same position (verifyProjection). Exit code 0 when every verified one
 * matches, 1 when one differs or could not be verified. With all projections, one whose tables are not in this
 * database (not run by this deployment) is skipped and said so; named with --projection, that is a usage error.
 */
export async function verifyReadModels(connection: AuditConnection, options: ReadModelOptions, signal: AbortSignal): Promise<number> {
  const chosen = choose(options.projection);
  const { pool, personalData: eventStore } = connection;
  const needs = (what: string, how: string) => new AuditSetupError(`verify-read-models needs ${what}: set ${how}, or DATA_DIR to the service's`);
  if (!pool) throw needs('the PostgreSQL that holds the read models', 'DATABASE_URL');
  // The projector builds the read models from events with their personal fields opened; so must the copy.
  if (!eventStore) throw needs('the master key that opens personal fields', 'MASTER_KEY');
  const outcomes: Outcome[] = [];
  const interrupted = () => {
    process.stderr.write('Interrupted: the read models verified so far are listed above; the scratch schema was dropped.\n');
    return 130;
  };
  for (const projection of chosen) {
    if (signal.aborted) return interrupted();
    try {
      const onProgress = progressReporter(projection.name);
      const result = await verifyProjection({ pool, eventStore, projection, fullRows: options.showRows, signal, onProgress });
      outcomes.push(result.ok ? { projection: projection.name, status: 'ok', result } : { projection: projection.name, status: 'differs', result });
    } catch (error) {
      if (signal.aborted) return interrupted();
      if (error instanceof ProjectionNotDeployedError && !options.projection) {
        outcomes.push({ projection: projection.name, status: 'skipped', reason: error.message });
      } else if (error instanceof ProjectionNotDeployedError) {
        throw new AuditSetupError(error.message);
      } else {
        outcomes.push({ projection: projection.name, status: 'not-verified', reason: (error as Error)?.message ?? String(error) });
      }
    }
    if (!options.json) process.stdout.write(`${describeOutcome(outcomes[outcomes.length - 1], options)}\n`);
  }
  const ok = outcomes.every((o) => o.status === 'ok' || o.status === 'skipped');
  process.stdout.write(`${options.json ? JSON.stringify({ ok, projections: outcomes }, jsonValue, 2) : summary(outcomes, options)}\n`);
  return ok ? 0 : 1;
}

function choose(name: string | undefined): Projection[] {
  if (name === undefined) return registry;
  const found = registry.find((p) => p.name === name);
  if (!found) throw new AuditSetupError(`Unknown projection ${JSON.stringify(name)}; the projections are ${registry.map((p) => p.name).join(', ')}`);
  return [found];
}

function describeOutcome(outcome: Outcome, options: ReadModelOptions): string {
  if (outcome.status === 'skipped') return `${outcome.projection}: skipped: ${outcome.reason}`;
  if (outcome.status === 'not-verified') return `${outcome.projection}: NOT VERIFIED: ${outcome.reason}`;
  const { result } = outcome;
  const verdict = outcome.status === 'ok' ? 'OK' : 'DIFFERS';
  const head = `${outcome.projection}: ${verdict} at position ${result.position} (${result.tables.length} table(s), ${result.events} event(s) replayed)`;
  return [head, ...result.tables.filter((t) => !t.ok).flatMap((t) => tableLines(t, options))].join('\n');
}

function tableLines(t: TableComparison, options: ReadModelOptions): string[] {
  if (t.problem) return [`  ${t.table}: ${t.problem}`];
  const samples = (label: string, rows: Record<string, unknown>[], total: number) => {
    if (t.sampleColumns.length === 0) return [`    ${label}: (no primary key to show; --show-rows shows whole rows)`];
    const more = total > rows.length ? [`    … and ${total - rows.length} more`] : [];
    return [...rows.map((row) => `    ${label}: ${JSON.stringify(row, jsonValue)}`), ...more];
  };
  const by = options.showRows || t.sampleColumns.length === 0 ? '' : ` (by ${t.sampleColumns.join(', ')})`;
  return [
    `  ${t.table}: ${t.onlyInLive} row(s) only in live, ${t.onlyInCopy} row(s) only in the rebuilt copy${by}`,
    ...(t.onlyInLive > 0 ? samples('only in live', t.samplesOnlyInLive, t.onlyInLive) : []),
    ...(t.onlyInCopy > 0 ? samples('only in copy', t.samplesOnlyInCopy, t.onlyInCopy) : []),
  ];
}

function summary(outcomes: Outcome[], options: ReadModelOptions): string {
  const count = (status: Outcome['status']) => outcomes.filter((o) => o.status === status).length;
  const verified = count('ok') + count('differs');
  const skipped = count('skipped') > 0 ? ` (${count('skipped')} skipped: not run in this database)` : '';
  if (count('differs') === 0 && count('not-verified') === 0) return `OK: ${verified} read model(s) match a rebuild from the events${skipped}.`;
  const rows = count('differs') > 0 && !options.showRows ? ' Samples show primary-key columns only; --show-rows shows whole rows.' : '';
  const differ = `${count('differs')} read model(s) differ from a rebuild from the events`;
  return `NOT OK: ${differ}, ${count('not-verified')} could not be verified, ${count('ok')} match${skipped}.${rows}`;
}

const jsonValue = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/** Progress on stderr like the export's: one line redrawn on a terminal, otherwise a line every two seconds. */
function progressReporter(name: string, stream: NodeJS.WriteStream = process.stderr, intervalMs = 2000) {
  let last = 0;
  return (p: VerifyProgress) => {
    if (p.phase === 'done') {
      if (stream.isTTY) stream.write('\r\x1b[K');
      return;
    }
    if (Date.now() - last < (stream.isTTY ? 100 : intervalMs) && p.phase === 'building') return;
    last = Date.now();
    // Positions start at 0 (START is -1): position + 1 positions lie up to it.
    const done = Number(p.copyPosition + 1n);
    const percent = Math.floor((Math.min(1, done / Math.max(1, Number(p.livePosition + 1n))) * 100));
    const phase = p.phase === 'comparing' ? ', comparing with the live tables' : '';
    const line = `verify-read-models ${name}: ${p.events} events, ${percent}%, position ${p.copyPosition} of ${p.livePosition}${phase}`;
    stream.write(stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  };
}
