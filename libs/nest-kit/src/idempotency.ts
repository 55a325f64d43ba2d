import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Migration } from '@ect/platform';
import { problem, ProblemError } from './problem';

export const idempotencyMigrations: Migration[] = [
  {
    id: 'nest-kit/001-idempotency-keys',
    sql: `
      create table idempotency_keys (
        scope text not null,
        key text not null,
        request_hash text not null,
        state text not null check (state in ('pending', 'done')),
        status integer,
        body jsonb,
        headers jsonb,
        created_at timestamptz not null default now(),
        primary key (scope, key)
      );
    `,
  },
];

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** A request whose pending key is older than this is taken to have died; a retry may take the key over. */
const PENDING_TIMEOUT_SECONDS = 60;
const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * Durable idempotency keys (PostgreSQL, so they hold across restarts and API processes).
 * The same key with the same request replays the first successful response; with another request it is refused.
 * Only successful responses are kept: a failed request stored nothing, so its retry runs again.
 */
export class IdempotencyKeys {
  constructor(private readonly pool: Pool) {}

  static hash(parts: unknown): string {
    return createHash('sha256').update(canonicalJson(parts)).digest('hex');
  }

  static assertValidKey(key: string): void {
    if (!KEY.test(key)) {
      throw new ProblemError(
        problem(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1 to 200 letters, digits or . _ : -', {
          errors: [{ field: 'idempotency-key', message: 'must be 1 to 200 of A-Z a-z 0-9 . _ : -' }],
        }),
      );
    }
  }

  /** Reserves the key, or returns the response to replay. */
  async begin(scope: string, key: string, requestHash: string): Promise<{ replay: StoredResponse } | { reserved: true }> {
    const inserted = await this.pool.query(
      `insert into idempotency_keys (scope, key, request_hash, state) values ($1, $2, $3, 'pending')
       on conflict (scope, key) do update set request_hash = excluded.request_hash, created_at = now()
         where idempotency_keys.state = 'pending'
           and idempotency_keys.created_at < now() - make_interval(secs => ${PENDING_TIMEOUT_SECONDS})
       returning key`,
      [scope, key, requestHash],
    );
    if (inserted.rowCount === 1) return { reserved: true };
    const { rows } = await this.pool.query<{ request_hash: string; state: string; status: number; body: unknown; headers: Record<string, string> }>(
      'select request_hash, state, status, body, headers from idempotency_keys where scope = $1 and key = $2',
      [scope, key],
    );
    const row = rows[0];
    if (!row) return this.begin(scope, key, requestHash); // released between our two statements
    if (row.request_hash !== requestHash) {
      throw new ProblemError(problem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request'));
    }
    if (row.state === 'pending') {
      throw new ProblemError(problem(409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still running; retry shortly'), {
        'retry-after': '1',
      });
    }
    return { replay: { status: row.status, body: row.body, headers: row.headers } };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.pool.query(
      `update idempotency_keys set state = 'done', status = $3, body = $4, headers = $5 where scope = $1 and key = $2`,
      [scope, key, response.status, JSON.stringify(response.body), JSON.stringify(response.headers)],
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await this.pool.query(`delete from idempotency_keys where scope = $1 and key = $2 and state = 'pending'`, [scope, key]);
  }
}

/** JSON with object keys sorted, so equal requests hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
