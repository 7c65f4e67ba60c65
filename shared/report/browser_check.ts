/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** Debian's `chromium` package; CI installs it (see .ci/run). */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface ChartCheck {
  readonly id: string;
  /** Size of the chart's canvas in CSS pixels (0 when none was drawn). */
  readonly width: number;
  readonly height: number;
  /** Share of sampled canvas pixels that are not transparent: 0 means an empty chart. */
  readonly inkShare: number;
}

export interface ReportCheck {
  readonly ok: boolean;
  readonly ready: boolean;
  readonly charts: readonly ChartCheck[];
  readonly consoleErrors: readonly string[];
  readonly pageErrors: readonly string[];
  /** Every request other than the report file itself: aborted, and each one a failure. */
  readonly blockedRequests: readonly string[];
  /** Why the check failed, one line each (empty when ok). */
  readonly failures: readonly string[];
}

export interface CheckOptions {
  readonly executablePath?: string;
  readonly screenshotPath?: string;
  /** Generous bound on load and drawing (a hang, not a speed test). */
  readonly timeoutMs?: number;
  /** How long to wait for `window.__reportReady` once the page has loaded (default: timeoutMs). */
  readonly readyTimeoutMs?: number;
  readonly viewport?: { readonly width: number; readonly height: number };
}

/**
 * Opens a report file in headless Chromium and checks it the way a reader would see it: the page
 * sets `window.__reportReady`, every `[data-chart]` holds a drawn canvas of non-zero size, nothing
 * was logged as an error or thrown (also while hovering each chart, which runs the tooltips), and
 * nothing but the file itself was requested.
 */
export async function checkReportInBrowser(htmlPath: string, options: CheckOptions = {}): Promise<ReportCheck> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM;
  const timeout = options.timeoutMs ?? 120_000;
  const fileUrl = pathToFileURL(resolve(htmlPath)).href;
  // As root (CI containers) Chromium refuses to start with its sandbox.
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], timeout });
  try {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const blockedRequests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('request', (r) => {
      if (r.url() !== fileUrl) blockedRequests.push(r.url());
    });
    await context.route('**/*', (route) => (route.request().url() === fileUrl ? route.continue() : route.abort('blockedbyclient')));

    await page.goto(fileUrl, { waitUntil: 'load', timeout });
    const ready = await page
      .waitForFunction(() => (window as unknown as { __reportReady?: boolean }).__reportReady === true, undefined, { timeout: options.readyTimeoutMs ?? timeout })
      .then(() => true)
      .catch(() => false);
    const charts = await page.$$eval('[data-chart]', (elements) =>
      elements.map((el) => {
        const canvas = el.querySelector('canvas');
        if (!canvas) return { id: el.getAttribute('data-chart') ?? '', width: 0, height: 0, inkShare: 0 };
        const rect = canvas.getBoundingClientRect();
        const ctx = canvas.getContext('2d');
        let ink = 0;
        let samples = 0;
        if (ctx && canvas.width > 0 && canvas.height > 0) {
          const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 3; i < pixels.length; i += 4 * 7) {
            samples++;
            if (pixels[i]! > 0) ink++;
          }
        }
        return { id: el.getAttribute('data-chart') ?? '', width: rect.width, height: rect.height, inkShare: samples === 0 ? 0 : ink / samples };
      }),
    );
    // Hovering each chart runs the page's tooltip formatters, so an error in them shows up here too.
    if (ready) {
      for (const chart of await page.locator('[data-chart]').all()) {
        await chart.scrollIntoViewIfNeeded({ timeout });
        await chart.hover({ timeout });
      }
      await page.mouse.move(0, 0);
    }
    if (options.screenshotPath !== undefined) await page.screenshot({ path: options.screenshotPath, fullPage: true, timeout });

    const failures: string[] = [];
    if (!ready) failures.push('window.__reportReady never became true');
    if (charts.length === 0) failures.push('no [data-chart] element');
    for (const c of charts) {
      if (c.width <= 0 || c.height <= 0) failures.push(`chart ${c.id}: no canvas of non-zero size`);
      else if (c.inkShare === 0) failures.push(`chart ${c.id}: canvas is empty`);
    }
    for (const m of consoleErrors) failures.push(`console error: ${m}`);
    for (const m of pageErrors) failures.push(`page error: ${m}`);
    for (const u of blockedRequests) failures.push(`network request (blocked): ${u}`);
    return { ok: failures.length === 0, ready, charts, consoleErrors, pageErrors, blockedRequests, failures };
  } finally {
    await browser.close();
  }
}

/** Whether a Chromium to drive is installed at `path`. */
export function chromiumAvailable(path: string = DEFAULT_CHROMIUM): boolean {
  return existsSync(path);
}
