import type { ClientBase } from 'pg';
import { quoteIdent } from './projection';
import { CHECKPOINT_TABLE } from './projection-schema';

/** How one table of the live read model compares with the same table rebuilt from the events. */
export interface TableComparison {
  table: string;
  ok: boolean;
  /** Rows of the live table missing from the copy (duplicates counted), and the reverse. A changed row is in both. */
  onlyInLive: number;
  onlyInCopy: number;
  /** Columns the samples show: the primary key by default, every column with `fullRows`. */
  sampleColumns: string[];
  /** Up to `sampleSize` of those rows each, ordered by the sample columns. */
  samplesOnlyInLive: Record<string, unknown>[];
  samplesOnlyInCopy: Record<string, unknown>[];
  /** Set when the tables themselves differ (one is missing, other columns): their rows were not compared. */
  problem?: string;
}

export interface CompareOptions {
  sampleSize?: number;
  /** Samples with whole rows. Off by default: read-model rows hold names and emails, keys identify rows well enough. */
  fullRows?: boolean;
}

interface Column {
  name: string;
  type: string;
  /** Position in the primary key, or null. */
  keyOrder: number | null;
  /** A type with no equality operator (json, xml, geometric), compared as its text form. */
  asText: boolean;
}

const NO_EQUALITY = ['json', 'xml', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle'];

/**
 * The tables of a schema, from the catalog rather than information_schema: information_schema hides tables the
 * current role has no privilege on, which would make an unreadable table look like a matching one. The runtime's
 * checkpoint table is left out (its position is compared by the caller); partitions are compared via their parent.
 */
async function tablesIn(db: ClientBase, schema: string): Promise<Map<string, Column[]>> {
  const { rows } = await db.query<{ table: string; column: string; type: string; key_order: number | null; typname: string }>(
    `select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type, t.typname,
            array_position(i.indkey::int2[], a.attnum) as key_order
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       join pg_type t on t.oid = a.atttypid
       left join pg_index i on i.indrelid = c.oid and i.indisprimary
      where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition and c.relname <> $2
      order by c.relname, a.attnum`,
    [schema, CHECKPOINT_TABLE],
  );
  const tables = new Map<string, Column[]>();
  for (const row of rows) {
    const columns = tables.get(row.table) ?? [];
    const asText = NO_EQUALITY.includes(row.typname.replace(/^_/, ''));
    columns.push({ name: row.column, type: row.type, keyOrder: row.key_order, asText });
    tables.set(row.table, columns);
  }
  return tables;
}

/**
 * Compares every table of `live` with its namesake in `copy`, row by row, with `except all` both ways (so duplicate
 * rows count too). Runs as plain reads on `db`: the caller decides the snapshot (verify.ts holds the live
 * checkpoint so the live tables cannot move meanwhile). Samples read only the columns they show.
 */
export async function compareSchemas(db: ClientBase, live: string, copy: string, options: CompareOptions = {}): Promise<TableComparison[]> {
  const [liveTables, copyTables] = await Promise.all([tablesIn(db, live), tablesIn(db, copy)]);
  const names = [...new Set([...liveTables.keys(), ...copyTables.keys()])].sort();
  const result: TableComparison[] = [];
  for (const table of names) {
    const liveColumns = liveTables.get(table);
    const copyColumns = copyTables.get(table);
    const problem = !liveColumns
      ? 'missing from the live schema (a migration step not applied there?)'
      : !copyColumns
        ? 'only in the live schema (no migration step of the projection creates it)'
        : columnsDiffer(liveColumns, copyColumns);
    if (problem || !liveColumns) {
      result.push({ table, ok: false, onlyInLive: 0, onlyInCopy: 0, sampleColumns: [], samplesOnlyInLive: [], samplesOnlyInCopy: [], problem });
      continue;
    }
    result.push(await compareTable(db, table, live, copy, liveColumns, options));
  }
  return result;
}

function columnsDiffer(live: Column[], copy: Column[]): string | undefined {
  const describe = (columns: Column[]) => columns.map((c) => `${c.name} ${c.type}`).sort().join(', ');
  const [a, b] = [describe(live), describe(copy)];
  return a === b ? undefined : `columns differ: live (${a}), copy (${b})`;
}

async function compareTable(db: ClientBase, table: string, live: string, copy: string, columns: Column[], options: CompareOptions): Promise<TableComparison> {
  const keys = columns.filter((c) => c.keyOrder !== null).sort((x, y) => x.keyOrder! - y.keyOrder!);
  const shown = options.fullRows ? columns : keys;
  const select = columns.map((c) => (c.asText ? `${quoteIdent(c.name)}::text as ${quoteIdent(c.name)}` : quoteIdent(c.name))).join(', ');
  const from = (schema: string) => `select ${select} from ${quoteIdent(schema)}.${quoteIdent(table)}`;
  const sampleSize = Math.max(0, options.sampleSize ?? 5);
  const onlyIn = async (a: string, b: string) => {
    const difference = `(${from(a)} except all ${from(b)}) d`;
    if (shown.length === 0 || sampleSize === 0) {
      const { rows } = await db.query<{ total: string }>(`select count(*) as total from ${difference}`);
      return { total: Number(rows[0].total), samples: [] };
    }
    const list = shown.map((c) => quoteIdent(c.name)).join(', ');
    // The window counts every row of the difference before the limit keeps the samples.
    const { rows } = await db.query(`select ${list}, count(*) over () as "verify:total" from ${difference} order by ${list} limit $1`, [sampleSize]);
    const total = rows.length === 0 ? 0 : Number(rows[0]['verify:total']);
    return { total, samples: rows.map(({ 'verify:total': _, ...row }) => row) };
  };
  const inLive = await onlyIn(live, copy);
  const inCopy = await onlyIn(copy, live);
  return {
    table,
    ok: inLive.total === 0 && inCopy.total === 0,
    onlyInLive: inLive.total,
    onlyInCopy: inCopy.total,
    sampleColumns: shown.map((c) => c.name),
    samplesOnlyInLive: inLive.samples,
    samplesOnlyInCopy: inCopy.samples,
  };
}
