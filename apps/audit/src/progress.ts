import type { ExportProgress } from '@ect/audit';

/**
 * Export progress on stderr: a bar redrawn in place (`\r`) on a terminal; otherwise a plain line at most every
 * `intervalMs`, so logs of a long export stay readable.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr, intervalMs = 2000) {
  let lastLine = 0;
  const fraction = (p: ExportProgress) => {
    const span = p.head - p.startedAfter;
    if (span <= 0n) return 1;
    const done = Number(((p.position - p.startedAfter) * 1000n) / span) / 1000;
    return Math.max(0, Math.min(1, done));
  };
  return {
    update(p: ExportProgress) {
      const percent = Math.floor(fraction(p) * 100);
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((percent / 100) * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%  ${p.exported} events  position ${p.position}`);
      } else if (Date.now() - lastLine >= intervalMs) {
        lastLine = Date.now();
        stream.write(`export: ${p.exported} events, ${percent}%, position ${p.position}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
