import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export interface SubgraphProcess {
  /** e.g. http://127.0.0.1:41234 */
  readonly baseUrl: string;
  /** The child's process id (for its CPU time). */
  readonly pid: number;
  close(): Promise<void>;
}

const REPO = resolve(__dirname, '..', '..');

/**
 * Starts the local subgraph CLI in a child process on a free port: it simulates the market and
 * serves it on the second core while this process fetches (in-process, server and client share
 * one thread), or serves a replay folder. Resolves once it serves; the truth of the simulated
 * market goes to `truthFile`.
 */
export function startSubgraphProcess(options: { seed: number; pools: number; days: number; endHour: number; truthFile: string } | { replay: string }): Promise<SubgraphProcess> {
  const served = 'replay' in options
    ? ['--replay', options.replay]
    : ['--pools', String(options.pools), '--days', String(options.days), '--seed', String(options.seed), '--end', new Date(options.endHour * 1000).toISOString(), '--truth', options.truthFile];
  const args = ['--import', 'tsx', join(REPO, 'local', 'subgraph', 'cli.ts'), '--port', '0', ...served];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  return new Promise((ready, fail) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/subgraphs\/name\//.exec(out);
      if (!match) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      ready({
        baseUrl: match[1]!,
        pid: child.pid!,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) { done(); return; }
            child.once('exit', () => {
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      fail(new Error(`the local subgraph exited with status ${String(code)} before serving: ${errors.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
}
