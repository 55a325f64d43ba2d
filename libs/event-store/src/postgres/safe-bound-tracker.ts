import type { Pool } from 'pg';
import { START, type GlobalPosition } from '../event-store.port';

interface Mark {
  /** Last position drawn from the sequence when the mark was taken. */
  drawn: GlobalPosition;
  /** Transactions in progress just after: one of them may still own a position up to `drawn`. */
  inProgress: string[];
}

/**
 * Proves how far the log is final despite out-of-order commits (the transaction-id watermark technique).
 *
 * Appenders get their transaction id before they draw a position. So if we read the last drawn position L and
 * then the list of transactions in progress, every position up to L belongs to a transaction that had either
 * finished by then (its events are visible, or it rolled back) or is in that list. Once every transaction in the
 * list has finished, nothing up to L can appear any more: L is a safe bound.
 *
 * Marks are kept until proven; a later mark is proven only when every earlier one is, so the newest proven mark
 * gives the bound. Transaction ids are cluster-wide, so a long transaction elsewhere on the cluster delays (never
 * breaks) the proof.
 */
export class SafeBoundTracker {
  private pending: Mark[] = [];
  private bound: GlobalPosition = START;

  constructor(private readonly pool: Pool) {}

  async safeBound(): Promise<GlobalPosition> {
    await this.takeMark();
    await this.prove();
    return this.bound;
  }

  private async takeMark(): Promise<void> {
    // Two statements, in this order: the sequence first, then a fresh snapshot.
    const seq = await this.pool.query<{ last_value: string; is_called: boolean }>(
      'select last_value, is_called from es_global_position_seq',
    );
    const drawn = seq.rows[0].is_called ? BigInt(seq.rows[0].last_value) : START;
    const snap = await this.pool.query<{ xip: string[] | null }>(
      'select array(select pg_snapshot_xip(pg_current_snapshot())::text) as xip',
    );
    this.pending.push({ drawn, inProgress: snap.rows[0].xip ?? [] });
    if (this.pending.length > 64) this.pending = this.pending.filter((_, i) => i % 2 === 0 || i === this.pending.length - 1);
  }

  private async prove(): Promise<void> {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const mark = this.pending[i];
      if (mark.inProgress.length > 0) {
        const { rows } = await this.pool.query<{ running: number }>(
          `select count(*)::int as running from unnest($1::xid8[]) x where pg_xact_status(x) = 'in progress'`,
          [mark.inProgress],
        );
        if (rows[0].running > 0) continue;
      }
      if (mark.drawn > this.bound) this.bound = mark.drawn;
      this.pending = this.pending.slice(i + 1);
      return;
    }
  }
}
