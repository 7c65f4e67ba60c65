import type { PipelineProgress } from '../local/pipeline/run_pipeline';

/**
 * Progress on stderr: a bar redrawn in place on a terminal, a line every few seconds otherwise
 * (CI logs), and one line per finished step with its time.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, clock: () => number = Date.now): PipelineProgress {
  const totals = new Map<string, number | undefined>();
  const started = new Map<string, number>();
  let lastLine = 0;
  const bar = (name: string, done: number): string => {
    const total = totals.get(name);
    const elapsed = (clock() - (started.get(name) ?? clock())) / 1000;
    if (!total) return `${name.padEnd(10)} ${done} ${elapsed.toFixed(1)} s`;
    const share = Math.min(1, done / total);
    const width = 30;
    const filled = Math.round(share * width);
    const eta = share > 0 ? (elapsed / share) * (1 - share) : 0;
    return `${name.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${(share * 100).toFixed(0)}% ${elapsed.toFixed(1)} s, ETA ${eta.toFixed(0)} s`;
  };
  return {
    step(name, total) {
      totals.set(name, total);
      started.set(name, clock());
      if (stream.isTTY) stream.write(`\r${bar(name, 0)}`);
    },
    tick(name, done) {
      if (stream.isTTY) stream.write(`\r${bar(name, done)}`);
      else if (clock() - lastLine > 5000) {
        lastLine = clock();
        stream.write(`${bar(name, done)}\n`);
      }
    },
    stepDone(name, seconds, summary) {
      if (stream.isTTY) stream.write('\r\x1b[2K');
      stream.write(`${name.padEnd(10)} ${seconds.toFixed(1).padStart(6)} s  ${summary}\n`);
    },
  };
}
