import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'pipeline.ts'), ...args], { cwd: REPO, encoding: 'utf8' });

test('--replay refuses --pools and --seed in one line, exit 2, before anything runs', () => {
  const r = run('--replay', 'some-folder', '--pools', '3', '--seed', '2');
  expect(r.status).toBe(2);
  expect(r.stderr.split('\n')[0]).toBe("error: --pools and --seed cannot be used with --replay: the replay's pools are what it recorded and nothing is simulated (--days keeps only its newest days)");
});

test('a simulation shorter than 7 days is refused in one line, exit 2, before anything runs', () => {
  const r = run('--days', '5', '--out', '/nonexistent/never-made');
  expect(r.status).toBe(2);
  expect(r.stderr.split('\n')[0]).toBe('error: --days: a simulated run needs at least 7 days (3 of warm-up before a pool may alert, then training and scored days); got 5');
});

test('a nonexistent replay folder is one line, exit 2', () => {
  const r = run('--replay', '/nonexistent/replay', '--out', '/nonexistent/out');
  expect(r.status).toBe(2);
  expect(r.stderr).toBe('error: replay folder /nonexistent/replay does not exist\n');
});
