import { createHash } from 'node:crypto';

/**
 * Tamper evidence: every event carries `hash`, a SHA-256 over its canonical stored form, and `prevHash`, the hash
 * of the event before it in the same stream (null for version 0). Changing, deleting, inserting or reordering an
 * event breaks the chain at that point. (It is evidence, not protection: whoever can rewrite the whole log can
 * recompute every later hash, so auditors keep head hashes they have seen; see README "For auditors".)
 *
 * The canonical stored form (hash format 1), identical on both adapters and in PostgreSQL's `es_event_hash`:
 *
 *   hash = lower-case hex of SHA-256 over the UTF-8 bytes of jsonbText({
 *     hashVersion: 1, streamName, streamVersion, eventId (lower-case UUID), type, schemaVersion,
 *     data, metadata (the port's metadata, as stored), recordedAt (UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ`), prevHash
 *   })
 *
 * where jsonbText is PostgreSQL's text output of a jsonb value (`jsonb::text`), so the SQL side is simply
 * `jsonb_build_object(...)::text` and never depends on how a client formatted its JSON:
 * - object: `{"k": v, "k2": v2}` (`": "` and `", "`), keys ordered by UTF-8 byte length, then bytewise;
 * - array: `[a, b]`; `{}` and `[]` when empty; `true`, `false`, `null`;
 * - string: `"` + text + `"`, escaping `"` and `\` with a backslash, U+0008, U+000C, U+000A, U+000D, U+0009 as
 *   `\b \f \n \r \t`, other characters below U+0020 as `\u00xx` (lower-case hex); everything else as is, in UTF-8;
 * - number: plain decimal as PostgreSQL's numeric prints it (no exponent; `1e21` is `1000000000000000000000`,
 *   `1.5e-7` is `0.00000015`, `-0` is `0`). Data arrives as JSON written by JSON.stringify, whose shortest
 *   round-trip digits numeric keeps exactly, so expanding JavaScript's exponent form gives the same text.
 *
 * The hash covers the stored bytes' meaning (fields as stored), so a later change that stores some fields encrypted
 * changes what is hashed, not how: the chain design stays as it is.
 */
export const HASH_FORMAT_VERSION = 1;

/** What the hash covers besides the previous hash. `data` and `metadata` as stored (after a JSON round trip). */
export interface HashedEventContent {
  streamName: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: Date;
}

/** SHA-256 (lower-case hex) of the event's canonical stored form chained to `prevHash`. */
export function eventHash(event: HashedEventContent, prevHash: string | null): string {
  return createHash('sha256').update(canonicalEventText(event, prevHash), 'utf8').digest('hex');
}

/** The exact text whose UTF-8 bytes are hashed (the same text PostgreSQL's `es_event_hash` builds). */
export function canonicalEventText(event: HashedEventContent, prevHash: string | null): string {
  return jsonbText({
    hashVersion: HASH_FORMAT_VERSION,
    streamName: event.streamName,
    streamVersion: event.streamVersion,
    eventId: event.eventId.toLowerCase(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: canonicalTime(event.recordedAt),
    prevHash,
  });
}

/** UTC with milliseconds: what both adapters store (PostgreSQL truncates `recorded_at` to milliseconds). */
export function canonicalTime(instant: Date): string {
  return instant.toISOString();
}

/** PostgreSQL's `jsonb::text` of a JSON value (see the module comment for the exact rules). */
export function jsonbText(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return numericText(value);
    case 'string':
      return stringText(value);
    case 'object':
      if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
      return objectText(value as Record<string, unknown>);
    default:
      throw new TypeError(`jsonbText: ${typeof value} is not a JSON value`);
  }
}

function objectText(value: Record<string, unknown>): string {
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .map((k) => ({ k, bytes: Buffer.from(k, 'utf8') }))
    .sort((a, b) => a.bytes.length - b.bytes.length || Buffer.compare(a.bytes, b.bytes));
  return `{${keys.map(({ k }) => `${stringText(k)}: ${jsonbText(value[k])}`).join(', ')}}`;
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function stringText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/["\\\u0000-\u001f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Plain decimal of a JavaScript number's shortest round-trip digits (numeric's output; it has no exponent form). */
export function numericText(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`jsonbText: ${value} is not a JSON number`);
  if (Object.is(value, -0)) return '0';
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = '', exponent] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Hashes for events about to be appended after `prevHash`, versions from `firstVersion` (client-side chaining). */
export function chainHashes(
  events: Omit<HashedEventContent, 'streamVersion'>[],
  firstVersion: number,
  prevHash: string | null,
): { hash: string; prevHash: string | null }[] {
  let previous = prevHash;
  return events.map((event, i) => {
    const hash = eventHash({ ...event, streamVersion: firstVersion + i }, previous);
    const link = { hash, prevHash: previous };
    previous = hash;
    return link;
  });
}
