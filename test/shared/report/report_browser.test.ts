import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CHROMIUM, checkReportInBrowser, chromiumAvailable } from '../../../shared/report/browser_check';
import { demoReportData } from '../../../shared/report/demo_report_data';
import { renderReport } from '../../../shared/report/render_report';

// Needs Debian's chromium (CI installs it in .ci/run); skipped with a message elsewhere.
const available = chromiumAvailable();
if (!available) console.warn(`report browser tests skipped: no Chromium at ${DEFAULT_CHROMIUM} (apt-get install -y chromium)`);
const testBrowser = available ? test : test.skip;

// Starting Chromium on a busy 2-core machine takes seconds; these bounds catch a hang, not slowness.
const GENEROUS_MS = 300_000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

testBrowser(
  'a report of synthetic data: every chart drawn, no console or page error, no request but the file, a screenshot',
  async () => {
    const data = demoReportData({ topPools: 3, days: 10 });
    const file = join(dir, 'report.html');
    const png = join(dir, 'report.png');
    writeFileSync(file, renderReport(data));
    const result = await checkReportInBrowser(file, { screenshotPath: png, timeoutMs: GENEROUS_MS });
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.ready).toBe(true);
    expect(result.charts.map((c) => c.id)).toEqual(['alerts-per-day', 'ranking-over-time', 'pool-0', 'pool-1', 'pool-2']);
    for (const c of result.charts) {
      expect(c.width).toBeGreaterThan(300);
      expect(c.height).toBeGreaterThan(300);
      expect(c.inkShare).toBeGreaterThan(0.01);
    }
    expect([...readFileSync(png).subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect(statSync(png).size).toBeGreaterThan(10_000);
  },
  GENEROUS_MS,
);

testBrowser(
  'the check fails a page that requests the network, throws, logs an error or never draws',
  async () => {
    const page = renderReport(demoReportData({ topPools: 1, days: 8 }))
      .replace('<script>(function () {', '<script>throw new Error("drawing failed");(function () {')
      .replace('</main>', '</main><img src="https://example.com/tracker.png" alt=""><script>console.error("bad thing")</script>');
    const file = join(dir, 'broken.html');
    writeFileSync(file, page);
    const result = await checkReportInBrowser(file, { timeoutMs: GENEROUS_MS, readyTimeoutMs: 3_000 });
    expect(result.ok).toBe(false);
    expect(result.ready).toBe(false);
    expect(result.blockedRequests).toEqual(['https://example.com/tracker.png']);
    expect(result.pageErrors).toEqual(['drawing failed']);
    expect(result.consoleErrors).toContain('bad thing');
    expect(result.failures).toEqual(
      expect.arrayContaining([
        'window.__reportReady never became true',
        'chart alerts-per-day: no canvas of non-zero size',
        'page error: drawing failed',
        'network request (blocked): https://example.com/tracker.png',
      ]),
    );
  },
  GENEROUS_MS,
);

testBrowser(
  'an error in a tooltip (run while hovering each chart) fails the check',
  async () => {
    const page = renderReport(demoReportData({ topPools: 1, days: 8 })).replace('function poolTooltip(params) {', 'function poolTooltip(params) { throw new Error("tooltip broken");');
    const file = join(dir, 'tooltip.html');
    writeFileSync(file, page);
    const result = await checkReportInBrowser(file, { timeoutMs: GENEROUS_MS });
    expect(result.ready).toBe(true);
    expect(result.ok).toBe(false);
    expect(new Set(result.pageErrors)).toEqual(new Set(['tooltip broken']));
  },
  GENEROUS_MS,
);
