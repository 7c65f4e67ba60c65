import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { InvalidInputError } from '../shared/errors';
import { DEFAULT_CHROMIUM, checkReportInBrowser, chromiumAvailable } from '../shared/report/browser_check';
import { demoReportData } from '../shared/report/demo_report_data';
import { renderReport } from '../shared/report/render_report';
import { CliUsageError, parseCliArgs, runCli } from './cli_args';

const flags = z.object({
  screenshot: z.string().optional().describe('write a full-page PNG screenshot here'),
  chromium: z.string().default(DEFAULT_CHROMIUM).describe('Chromium executable'),
  demo: z.boolean().default(false).describe('first write a report of synthetic demo data to <report.html>'),
  'demo-pools': z.coerce.number().int().min(0).default(12).describe('top pools in the demo report'),
  'demo-days': z.coerce.number().int().min(8).default(30).describe('days in the demo report'),
});

const spec = {
  usage: 'npm run check:report -- <report.html> [--screenshot out/report.png] [--demo]',
  summary: 'Opens a report in headless Chromium: every chart drawn, no console or page error, no network request. Exit 1 on failure.',
  positionals: ['report.html'],
};

async function main(): Promise<void> {
  const args = parseCliArgs(flags, process.argv.slice(2), spec);
  const htmlPath = args._[0];
  if (htmlPath === undefined) throw new CliUsageError('missing <report.html>');
  if (args.demo) {
    mkdirSync(dirname(htmlPath), { recursive: true });
    writeFileSync(htmlPath, renderReport(demoReportData({ topPools: args['demo-pools'], days: args['demo-days'] })));
  }
  if (!chromiumAvailable(args.chromium)) throw new InvalidInputError(`no Chromium at ${args.chromium}: install Debian's chromium (apt-get install -y chromium) or pass --chromium <path>`);
  if (args.screenshot !== undefined) mkdirSync(dirname(args.screenshot), { recursive: true });
  const result = await checkReportInBrowser(htmlPath, { executablePath: args.chromium, ...(args.screenshot === undefined ? {} : { screenshotPath: args.screenshot }) });
  const size = `${(statSync(htmlPath).size / 1e6).toFixed(2)} MB`;
  const shot = args.screenshot === undefined ? '' : `, screenshot ${args.screenshot}`;
  if (result.ok) {
    process.stdout.write(`report ok: ${htmlPath} (${size}), ${result.charts.length} charts drawn, no errors, no network requests${shot}\n`);
    return;
  }
  process.stdout.write(`report FAILED: ${htmlPath} (${size}), ${result.failures.length} problems${shot}\n`);
  for (const f of result.failures) process.stdout.write(`  - ${f}\n`);
  process.exitCode = 1;
}

void runCli(main);
