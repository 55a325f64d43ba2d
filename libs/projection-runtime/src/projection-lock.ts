import { Client, type ClientConfig, type Pool } from 'pg';

/** Advisory lock classes (the two-int form), apart from the migrator's single-key lock. */
const HOLDER_CLASS = 7_283_002;
const REBUILD_CLASS = 7_283_003;

/** A stable 31-bit key per name (FNV-1a), so every process derives the same lock for a projection. */
function nameKey(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of Buffer.from(name, 'utf8')) hash = Math.imul(hash ^ char, 0x01000193) >>> 0;
  return hash & 0x7fffffff;
}

export const holderLockKey = (name: string): [number, number] => [HOLDER_CLASS, nameKey(name)];
export const rebuildLockKey = (name: string): [number, number] => [REBUILD_CLASS, nameKey(name)];

/** Whether some session of this database holds the lock (for the rebuild's "is a projector running?" notice). */
export async function isLockHeld(pool: Pool, [classId, objId]: [number, number]): Promise<boolean> {
  const { rows } = await pool.query<{ held: boolean }>(
    `select exists (select 1 from pg_locks where locktype = 'advisory' and granted and objsubid = 2
       and classid = $1::int::oid and objid = $2::int::oid
       and database = (select oid from pg_database where datname = current_database())) as held`,
    [classId, objId],
  );
  return rows[0].held;
}

/**
 * A PostgreSQL session advisory lock on a connection of its own. The lock lives exactly as long as that session:
 * when the holding process dies (even `kill -9`) the server ends the session and the lock is free for another.
 *
 * `lost` resolves when the connection of a held lock fails (error, end, or a failed liveness check): from then
 * on another process may hold the lock, so the holder must stop working. Writes stay safe meanwhile because every
 * batch locks the checkpoint row and skips what is already applied (see apply-batch.ts).
 */
export class SessionLock {
  private client: Client | null = null;
  private held = false;
  private check: NodeJS.Timeout | null = null;
  private signalLost: (() => void) | null = null;
  /** Replaced at each acquisition; resolves when that holding ends by connection failure. */
  lost: Promise<void> = new Promise(() => undefined);

  constructor(
    private readonly config: ClientConfig,
    private readonly key: [number, number],
    private readonly checkIntervalMs = 2000,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Tries once; true when this session holds the lock. Connection failures count as "not acquired". */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    try {
      const client = await this.connection();
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', this.key);
      if (!rows[0].ok) return false;
    } catch {
      this.drop(this.client);
      return false;
    }
    this.held = true;
    this.lost = new Promise((resolve) => (this.signalLost = resolve));
    // A half-open connection (peer gone without a FIN) shows only as a check that does not answer.
    this.check = setInterval(() => {
      const client = this.client;
      if (!client) return;
      const timeout = setTimeout(() => this.drop(client), this.checkIntervalMs * 2);
      client.query('select 1').then(
        () => clearTimeout(timeout),
        () => {
          clearTimeout(timeout);
          this.drop(client);
        },
      );
    }, this.checkIntervalMs);
    return true;
  }

  /** Unlocks and closes the connection (closing alone would also free the lock). */
  async release(): Promise<void> {
    const client = this.client;
    if (client && this.held) await client.query('select pg_advisory_unlock($1, $2)', this.key).catch(() => undefined);
    this.held = false;
    this.stopCheck();
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ ...this.config, connectionTimeoutMillis: this.config.connectionTimeoutMillis || 5000, keepAlive: true });
    // Without listeners a dropped connection would crash the process; with them it ends the holding. Each
    // listener names its client: a late 'end' of a connection already dropped must not drop its successor.
    client.on('error', () => this.drop(client));
    client.on('end', () => this.drop(client));
    this.client = client;
    await client.connect();
    return client;
  }

  private drop(client: Client | null): void {
    if (!client || client !== this.client) return;
    this.client = null;
    this.stopCheck();
    void client.end().catch(() => undefined);
    if (this.held) {
      this.held = false;
      this.signalLost?.();
    }
  }

  private stopCheck(): void {
    if (this.check) clearInterval(this.check);
    this.check = null;
  }
}
