import { Client, type ClientConfig } from 'pg';
import { OUTBOX_CHANNEL } from './outbox';

/** Advisory lock class of the relay (the projection runtime uses 7_283_002/003, the migrator 7_283_001). */
const RELAY_LOCK: [number, number] = [7_283_010, 1];

/**
 * The right to send: a PostgreSQL session advisory lock on a connection of its own, which also LISTENs for new
 * outbox rows. The lock lives exactly as long as the session, so a relay that dies (even `kill -9`) frees it for
 * another. A holder must call `beforeSend()` before each send: once the session is gone another relay may hold the lock.
 */
export class RelayLease {
  private client: Client | null = null;
  private held = false;
  private check: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: ClientConfig,
    private readonly onNotify: () => void,
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
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', RELAY_LOCK);
      if (!rows[0].ok) return false;
      await client.query(`listen ${OUTBOX_CHANNEL}`);
    } catch {
      this.drop(this.client);
      return false;
    }
    this.held = true;
    // A half-open connection (peer gone without a FIN) shows only as a check that does not answer.
    this.check = setInterval(() => void this.alive(), this.checkIntervalMs);
    return true;
  }

  /** True while the session (and so the lock) is certainly ours; drops the holding otherwise. */
  alive(): Promise<boolean> {
    return this.onSession('select 1');
  }

  /**
   * Proves the lock is still ours and records that a send starts now, on the lock's own session (one round trip):
   * a successor waits until any send started here has timed out (see the relay). False: stop, the lock is gone.
   */
  beforeSend(): Promise<boolean> {
    return this.onSession(`update feeds.relay_state set send_started_at = now(), holder = 'pid ${process.pid}'`);
  }

  private async onSession(sql: string): Promise<boolean> {
    const client = this.client;
    if (!client || !this.held) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query(sql),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('lock session check timed out')), this.checkIntervalMs * 2))),
      ]);
      return true;
    } catch {
      this.drop(client);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async release(): Promise<void> {
    const client = this.client;
    if (client && this.held) await client.query('select pg_advisory_unlock($1, $2)', RELAY_LOCK).catch(() => undefined);
    this.held = false;
    this.stopCheck();
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ ...this.config, application_name: 'ect-register-feed-relay', connectionTimeoutMillis: this.config.connectionTimeoutMillis || 5000, keepAlive: true });
    // Each listener names its client: a late 'end' of a dropped connection must not drop its successor.
    client.on('error', () => this.drop(client));
    client.on('end', () => this.drop(client));
    client.on('notification', () => this.onNotify());
    this.client = client;
    await client.connect();
    return client;
  }

  private drop(client: Client | null): void {
    if (!client || client !== this.client) return;
    this.client = null;
    this.held = false;
    this.stopCheck();
    void client.end().catch(() => undefined);
    this.onNotify();
  }

  private stopCheck(): void {
    if (this.check) clearInterval(this.check);
    this.check = null;
  }
}
