import type { AuditEvent, ChainFinding, VerifyReport } from '@ect/audit';

/** A plain-text table: columns as wide as their widest cell, capped so a long value does not push the rest away. */
export function table(headers: string[], rows: string[][], maxWidth = 60): string {
  const clip = (s: string) => (s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s);
  const cells = [headers, ...rows].map((row) => row.map(clip));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

const text = (value: unknown) => (value === null || value === undefined ? '-' : String(value));

export function historyTable(events: AuditEvent[]): string {
  if (events.length === 0) return 'No events match.';
  return table(
    ['POSITION', 'VERSION', 'RECORDED AT', 'TYPE', 'ACTING USER', 'SERVICE', 'CORRELATION ID', 'CAUSATION ID'],
    events.map((e) => [
      e.position,
      String(e.version),
      e.recordedAt,
      e.type,
      text(e.metadata.actingUserId),
      text(e.metadata.actingService),
      text(e.metadata.correlationId),
      text(e.metadata.causationId),
    ]),
  );
}

export function verifyText(report: VerifyReport): string {
  const summary = `${report.streamsChecked} stream(s), ${report.eventsChecked} event(s) checked`;
  if (report.ok) return `OK: every hash chain is intact (${summary}).`;
  const rows = report.findings.map((f: ChainFinding) => [f.stream, text(f.version), text(f.position), f.problem, f.detail]);
  return `BROKEN: ${report.findings.length} problem(s) in ${new Set(report.findings.map((f) => f.stream)).size} stream(s) (${summary}).\n\n${table(
    ['STREAM', 'VERSION', 'POSITION', 'PROBLEM', 'DETAIL'],
    rows,
    120,
  )}`;
}
