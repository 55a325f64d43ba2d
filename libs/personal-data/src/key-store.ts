import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Migration } from '@ect/platform';
import { unwrapKey, wrapKey } from './envelope';

/**
 * Data keys, one per subject and generation, wrapped under the master key. Always in PostgreSQL, also when the
 * event log is on EventStoreDB. A destroyed key keeps its row (wrapped_key null, erased_at set): the erasure stays
 * on record, and a generation is never reused. New personal data for an erased subject (registered again later)
 * gets the next generation, so what was erased stays erased.
 */
export const personalDataMigrations: Migration[] = [
  {
    id: 'personal-data/001-keys',
    sql: `
      create table pd_keys (
        subject text not null,
        generation integer not null check (generation >= 1),
        wrapped_key bytea,
        created_at timestamptz not null default now(),
        erased_at timestamptz,
        primary key (subject, generation),
        check ((wrapped_key is null) = (erased_at is not null))
      );
    `,
  },
];

/** Generation → key, or null when that generation was destroyed. */
type Generations = Map<number, Buffer | null>;

/**
 * How long this process trusts a key it has read. An erasure in this process drops its cache at once, and readers
 * drop a subject when a PersonalDataErased event passes; another process may still use a destroyed key for up to
 * this long (to show data, or to write new data, which then reads as erased).
 */
export const KEY_CACHE_TTL_MS = 5_000;

export class KeyStore {
  private readonly cache = new Map<string, { generations: Generations; loadedAt: number }>();

  constructor(
    private readonly pool: Pool,
    private readonly masterKey: Buffer,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
  }

  /** The live key to encrypt with for each subject, created on first use (race-safe across processes). */
  async keysForWriting(subjects: string[]): Promise<Map<string, { generation: number; key: Buffer }>> {
    const result = new Map<string, { generation: number; key: Buffer }>();
    let missing = [...new Set(subjects)];
    for (let attempt = 0; missing.length > 0; attempt++) {
      if (attempt > 0) await this.load(missing);
      for (const subject of missing) {
        const live = this.fresh(subject) ? latestLive(this.cache.get(subject)!.generations) : null;
        if (live) result.set(subject, live);
      }
      missing = missing.filter((s) => !result.has(s));
      if (missing.length === 0 || attempt === 0) continue;
      if (attempt > 3) throw new Error('Could not create data keys: subjects kept being erased meanwhile');
      await this.create(missing);
    }
    return result;
  }

  /** The keys (or null: destroyed) of each subject's generations, for decryption. Unknown generations read as destroyed. */
  async keysForReading(needed: Map<string, Set<number>>): Promise<Map<string, Generations>> {
    const stale = [...needed].filter(([s, gens]) => !this.fresh(s) || [...gens].some((g) => !this.cache.get(s)!.generations.has(g)));
    if (stale.length > 0) await this.load(stale.map(([s]) => s));
    return new Map([...needed.keys()].map((s) => [s, this.cache.get(s)?.generations ?? new Map()]));
  }

  /**
   * Destroys every live key of the subject. `known`: any key was ever created for it; `destroyed`: how many live
   * keys this call destroyed (0 when already erased). The cache entry goes at once.
   */
  async erase(subject: string): Promise<{ known: boolean; destroyed: number }> {
    this.forget(subject);
    const { rows } = await this.pool.query<{ generation: number; destroyed: boolean }>(
      `with destroyed as (
         update pd_keys set wrapped_key = null, erased_at = now() where subject = $1 and wrapped_key is not null returning generation
       )
       select generation, true as destroyed from destroyed
       union all select generation, false from pd_keys where subject = $1 and wrapped_key is null`,
      [subject],
    );
    this.forget(subject);
    return { known: rows.length > 0, destroyed: rows.filter((r) => r.destroyed).length };
  }

  forget(subject: string): void {
    this.cache.delete(subject);
  }

  private fresh(subject: string): boolean {
    const entry = this.cache.get(subject);
    return !!entry && this.now() - entry.loadedAt < (this.options.ttlMs ?? KEY_CACHE_TTL_MS);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private async load(subjects: string[]): Promise<void> {
    const loadedAt = this.now();
    const { rows } = await this.pool.query<{ subject: string; generation: number; wrapped_key: Buffer | null }>(
      'select subject, generation, wrapped_key from pd_keys where subject = any($1::text[])',
      [subjects],
    );
    const bySubject = new Map<string, Generations>(subjects.map((s) => [s, new Map()]));
    for (const row of rows) {
      bySubject.get(row.subject)!.set(row.generation, row.wrapped_key ? unwrapKey(this.masterKey, row.wrapped_key, row.subject, row.generation) : null);
    }
    for (const [subject, generations] of bySubject) this.cache.set(subject, { generations, loadedAt });
  }

  /** Inserts the next generation for subjects with no live key; a concurrent creator's insert wins, and is read next. */
  private async create(subjects: string[]): Promise<void> {
    const next = subjects.map((s) => Math.max(0, ...(this.cache.get(s)?.generations.keys() ?? [])) + 1);
    await this.pool.query(
      `insert into pd_keys (subject, generation, wrapped_key)
       select * from unnest($1::text[], $2::integer[], $3::bytea[]) on conflict (subject, generation) do nothing`,
      [subjects, next, subjects.map((s, i) => wrapKey(this.masterKey, randomBytes(32), s, next[i]))],
    );
    subjects.forEach((s) => this.forget(s));
  }
}

function latestLive(generations: Generations): { generation: number; key: Buffer } | null {
  const latest = Math.max(0, ...generations.keys());
  const key = generations.get(latest);
  return key ? { generation: latest, key } : null;
}
