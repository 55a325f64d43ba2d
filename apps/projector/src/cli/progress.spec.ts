import { describe as describeProgress, progressReporter } from './progress';

const at = (copy: bigint, live: bigint, events: number, elapsedMs: number, phase: 'building' | 'swapping' | 'done' = 'building') => ({
  phase,
  events,
  copyPosition: copy,
  livePosition: live,
  elapsedMs,
});

describe('the rebuild progress line', () => {
  describe('half way through, 10 s in', () => {
    it('shows the bar, the events done, the rate and the time left', () => {
      expect(describeProgress('event-counts', at(4999n, 9999n, 5000, 10_000))).toBe(
        'event-counts [############------------]  50%  5,000 events  500 events/s  0:10 left',
      );
    });
  });

  describe('before any event is read', () => {
    it('shows no time left yet', () => {
      expect(describeProgress('event-counts', at(-1n, 99n, 0, 5))).toContain('--:-- left');
    });
  });

  describe('when swapped in', () => {
    it('sums up', () => {
      expect(describeProgress('event-counts', at(9999n, 9999n, 10_000, 4_000, 'done'))).toBe(
        'event-counts: swapped in at position 9999: 10,000 events in 0:04 (2,500 events/s)',
      );
    });
  });

  describe('on a terminal', () => {
    it('redraws one line with \\r and ends it when done', () => {
      const written: string[] = [];
      const out = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
      const report = progressReporter('x', out);
      report(at(0n, 9n, 1, 100));
      report(at(1n, 9n, 2, 110)); // within 100 ms of the last: skipped
      report(at(9n, 9n, 10, 200, 'done'));
      expect(written).toHaveLength(2);
      expect(written[0]).toMatch(/^\rx \[/);
      expect(written[1]).toMatch(/^\rx: swapped in .*\n$/);
    });
  });

  describe('in a log file', () => {
    it('writes whole lines, at most one every 2 s, and the final one', () => {
      const written: string[] = [];
      const out = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
      const report = progressReporter('x', out);
      report(at(0n, 9n, 1, 100));
      report(at(1n, 9n, 2, 200));
      report(at(9n, 9n, 10, 300, 'done'));
      expect(written).toHaveLength(2);
      expect(written.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
    });
  });
});
