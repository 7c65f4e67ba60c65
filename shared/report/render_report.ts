import { chartLibraryScript } from './chart_library';
import { reportCharts } from './chart_options';
import { escapeHtml as e, formatFraction, formatHour, formatInt, formatIsoTime, formatSeconds, jsonForScript } from './html_text';
import { ALERT_COLOUR, INJECTED_COLOUR, SEVERITY_COLOUR, colourOfType } from './report_colours';
import { parseReportData, type AlertRow, type Detection, type ModelInfo, type ReportData, type RunInfo, type TopPool } from './report_data';
import { REPORT_PAGE_SCRIPT } from './report_page_script';

/** More rows than this make the page slow to open; the rest are in the alerts file. */
export const MAX_ALERT_ROWS = 1000;

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
main{max-width:1440px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#555;margin:0 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:20px}.card span{color:#555;font-size:12px}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:4px 0}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f0f0f0}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.cols{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;height:440px}
.wide{height:340px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(640px,1fr));gap:16px}
.pool figcaption{font-size:12px;color:#444;padding:4px 2px}
figure{margin:0}
.chip{display:inline-block;padding:0 6px;border-radius:8px;color:#fff;font-size:12px;white-space:nowrap}
.key{display:inline-block;width:12px;height:12px;vertical-align:middle;margin:0 4px 0 12px}
code{font-size:12px}
`;

function chip(text: string, colour: string): string {
  return `<span class="chip" style="background:${colour}">${e(text)}</span>`;
}

function header(run: RunInfo): string {
  const sources = run.sources.map((s) => `${e(s.id)} (${e(s.dex)}, ${e(s.chain)})`).join('; ');
  const total = run.steps.reduce((sum, s) => sum + s.seconds, 0);
  const steps = run.steps.map((s) => `<tr><td>${e(s.name)}</td><td class="n">${formatSeconds(s.seconds)}</td></tr>`).join('');
  const files = run.files.map((f) => `<tr><td>${e(f.label)}</td><td><code>${e(f.path)}</code></td></tr>`).join('');
  return `<header>
<h1>dex-anomaly run report</h1>
<p class="sub">Generated ${formatIsoTime(run.generated_at)} · window ${formatHour(run.window.from_hour)} to ${formatHour(run.window.to_hour)} · seed ${run.seed} · ${formatInt(run.pools)} pools · ${run.days} days</p>
<p class="sub">Sources: ${sources || '–'}</p>
<div class="cols">
<table><caption>Steps (wall time)</caption><tr><th>step</th><th>time</th></tr>${steps}<tr><th>total</th><th class="n">${formatSeconds(total)}</th></tr></table>
<table><caption>Where the files are</caption><tr><th>what</th><th>path</th></tr>${files}</table>
</div>
</header>`;
}

function detectionSection(d: Detection | null): string {
  if (d === null) return `<section id="detection"><h2>Detection against the truth</h2><p>No truth for this run (real data): only the proxy-label metrics below apply.</p></section>`;
  return `<section id="detection"><h2>Detection against the truth (injected anomalies)</h2>
${detectionTables(d)}</section>`;
}

/** The train step's evaluation hours replayed against the truth: how the model was judged before it scored. */
function trainDetectionSection(d: ReportData['train_detection']): string {
  if (d === undefined) return '';
  return `<section id="train-detection"><h2>The model's evaluation hours against the truth</h2>
<p>Hours ${formatHour(d.window.from_hour)} to ${formatHour(d.window.to_hour)}, before the scored days: replayed through the alert policy with this model's thresholds when it was trained (npm run train prints the same figures).</p>
${detectionTables(d)}</section>`;
}

function detectionTables(d: Detection): string {
  const rows = d.by_type
    .map((t) => `<tr><td>${chip(t.type, colourOfType(t.type))}</td><td class="n">${t.events}</td><td class="n">${t.caught_within_1h}</td><td class="n">${t.caught_within_2h}</td><td class="n">${t.median_delay_hours === null ? '–' : t.median_delay_hours.toFixed(1)}</td></tr>`)
    .join('');
  const sum = (f: (t: Detection['by_type'][number]) => number) => d.by_type.reduce((s, t) => s + f(t), 0);
  const m = d.mispriced_routed_as_data_error;
  return `<div class="cols">
<table><tr><th>anomaly type</th><th>events</th><th>caught within 1 h</th><th>caught within 2 h</th><th>median delay (h)</th></tr>${rows}
<tr><th>all</th><th class="n">${sum((t) => t.events)}</th><th class="n">${sum((t) => t.caught_within_1h)}</th><th class="n">${sum((t) => t.caught_within_2h)}</th><th></th></tr></table>
<table><tr><th>measure</th><th>value</th></tr>
<tr><td>alert precision (alerts on an injected event's hours)</td><td class="n">${formatFraction(d.alert_precision)}</td></tr>
<tr><td>alerts outside injected events, per 1,000 pools per day</td><td class="n">${d.false_alerts_per_1000_pools_per_day.toFixed(2)}</td></tr>
<tr><td>mispriced-token events routed as data errors</td><td class="n">${m.routed} of ${m.events}</td></tr></table>
</div>`;
}

function modelSection(m: ModelInfo): string {
  const card = (label: string, value: number | null) => `<div class="card"><b>${formatFraction(value)}</b><span>${e(label)}</span></div>`;
  return `<section id="model"><h2>Model</h2>
<p>Version <code>${e(m.version)}</code>${m.trained_at === undefined ? '' : `, trained ${formatIsoTime(m.trained_at)}`} · alert threshold ${m.threshold} · measured against the ${e(m.label)}</p>
<div class="cards">${card('PR-AUC', m.metrics.pr_auc)}${card('ROC-AUC', m.metrics.roc_auc)}${card('Precision@10', m.metrics.precision_at_10)}${card('Recall@10', m.metrics.recall_at_10)}</div>
<p>Features (${m.features.length}): ${m.features.map((f) => `<code>${e(f)}</code>`).join(', ')}</p>
</section>`;
}

function poolFigure(pool: TopPool, index: number): string {
  const link = pool.explorer_url === undefined ? '' : ` · <a class="external" href="${e(pool.explorer_url)}" rel="noopener noreferrer">explorer</a>`;
  const injected = pool.injected.map((i) => `${i.type} at ${formatHour(Math.min(...i.hours))} (${i.hours.length} h)`).join('; ');
  return `<figure class="pool"><div class="chart" data-chart="pool-${index}" role="img" aria-label="${e(`${pool.pair} volume, TVL and score`)}"></div>
<figcaption>${e(pool.source)} · <code>${e(pool.pool_id)}</code>${link} · ${pool.alerts.length} alerts · injected: ${e(injected || 'none')}</figcaption></figure>`;
}

function alertTable(alerts: readonly AlertRow[]): string {
  const shown = alerts.slice(0, MAX_ALERT_ROWS);
  const rows = shown
    .map(
      (a) =>
        `<tr><td>${formatHour(a.hour_ts)}</td><td>${e(a.pair)}<br><code title="${e(a.pool_id)}">${e(a.pool_id.slice(0, 10))}…</code></td><td>${e(a.source)}</td><td>${chip(a.type, colourOfType(a.type))}</td><td>${e(a.description)}</td><td>${chip(a.severity, SEVERITY_COLOUR[a.severity])}</td><td class="n">${a.score.toFixed(3)}</td></tr>`,
    )
    .join('\n');
  const more = alerts.length > shown.length ? `<p>${formatInt(alerts.length - shown.length)} more alerts are not listed here.</p>` : '';
  return `<section id="alerts"><h2>Alerts (${formatInt(alerts.length)})</h2>
<table><tr><th>hour</th><th>pool</th><th>source</th><th>type</th><th>what happened</th><th>severity</th><th>score</th></tr>
${rows}</table>${more}</section>`;
}

/**
 * The run report as one self-contained HTML file: tables rendered here, charts drawn in the
 * browser by the inlined ECharts from the embedded data. Nothing is fetched when the file is
 * opened; the only outgoing URLs are pools' `explorer_url` links (anchors, https, from the data).
 * Same data, same bytes. Validates the data first (InvalidInputError naming the field).
 */
export function renderReport(input: ReportData): string {
  const data = parseReportData(input);
  const charts = reportCharts(data);
  const legend = `<p class="sub">In each pool chart: <span class="key" style="background:#6baed6"></span>volume (USD per hour) and <span class="key" style="background:#08306b"></span>TVL (USD) on a log scale, <span class="key" style="background:#2ca02c"></span>anomaly score (right axis, dashed line = threshold), <span class="key" style="background:${ALERT_COLOUR}"></span>alerts the pipeline raised (triangles, darker = more severe), <span class="key" style="background:${INJECTED_COLOUR}"></span>anomalies injected by the simulator (shaded bands). Scroll on a chart to zoom.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dex-anomaly report ${e(data.run.generated_at)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${header(data.run)}
${detectionSection(data.detection)}
${modelSection(data.model)}
${trainDetectionSection(data.train_detection)}
<section id="alerts-per-day"><h2>Alerts per day</h2><div class="chart wide" data-chart="alerts-per-day" role="img" aria-label="alerts per day by type"></div></section>
<section id="ranking-over-time"><h2>Ranking quality over time</h2><div class="chart wide" data-chart="ranking-over-time" role="img" aria-label="Precision@10 and Recall@10 per day"></div></section>
<section id="pools"><h2>The ${data.top_pools.length} most abnormal pools</h2>${legend}
<div class="grid">
${data.top_pools.map(poolFigure).join('\n')}
</div></section>
${alertTable(data.alerts)}
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script type="application/json" id="report-charts">${jsonForScript(charts)}</script>
<script>${chartLibraryScript()}</script>
<script>${REPORT_PAGE_SCRIPT}</script>
</body>
</html>
`;
}
