import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');

function checkReport(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check_report.ts', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--help names the flags; a missing file argument or a missing Chromium is one line, exit 2', () => {
  const help = checkReport(['--help']);
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('usage: npm run check:report -- <report.html> [--screenshot out/report.png] [--demo]');
  expect(help.stdout).toMatch(/--chromium <value> +Chromium executable \(default: \/usr\/bin\/chromium\)/);

  const missing = checkReport([]);
  expect([missing.status, missing.stderr.split('\n')[0]]).toEqual([2, 'error: missing <report.html>']);

  const noBrowser = checkReport(['some.html', '--chromium', '/nonexistent/chromium']);
  expect([noBrowser.status, noBrowser.stderr.split('\n')[0]]).toEqual([2, "error: no Chromium at /nonexistent/chromium: install Debian's chromium (apt-get install -y chromium) or pass --chromium <path>"]);
}, 300_000); // three tsx start-ups on a busy machine: a bound on a hang, not on speed
