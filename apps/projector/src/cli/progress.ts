import type { RebuildProgress } from '@ect/projection-runtime';

/**
 * A plain-terminal progress bar for a rebuild: on a TTY one line redrawn with `\r` (at most 10 times a second);
 * otherwise (CI, a log file) a line every few seconds. Shows events done, rate and time left.
 *
 * Done and total are measured in global positions, which on PostgreSQL count events (positions are dense); the
 * event count and rate are exact on every store.
 */
export function progressReporter(name: string, out: NodeJS.WriteStream = process.stdout): (progress: RebuildProgress) => void {
  const tty = Boolean(out.isTTY);
  let last = 0;
  return (progress) => {
    const final = progress.phase === 'done';
    const now = Date.now();
    if (!final && now - last < (tty ? 100 : 2000)) return;
    last = now;
    const line = describe(name, progress);
    if (tty) out.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
    else out.write(`${line}\n`);
  };
}

export function describe(name: string, p: RebuildProgress): string {
  const seconds = Math.max(p.elapsedMs / 1000, 0.001);
  const rate = p.events / seconds;
  if (p.phase === 'done') {
    return `${name}: swapped in at position ${p.livePosition}: ${count(p.events)} events in ${clock(seconds)} (${count(rate)} events/s)`;
  }
  // Positions start at 0 (START is -1), so position + 1 is how many positions lie up to it.
  const done = Number(p.copyPosition + 1n);
  const total = Math.max(Number(p.livePosition + 1n), done, 1);
  const fraction = done / total;
  const positionRate = done / seconds;
  const left = positionRate > 0 ? (total - done) / positionRate : NaN;
  const bar = '#'.repeat(Math.round(fraction * 24)).padEnd(24, '-');
  const phase = p.phase === 'swapping' ? '  swapping in' : '';
  return `${name} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${count(p.events)} events  ${count(rate)} events/s  ${
    Number.isFinite(left) ? `${clock(left)} left` : '--:-- left'
  }${phase}`;
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-GB');
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
