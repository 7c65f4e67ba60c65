import { InvalidInputError } from '../../../shared/errors';
import { reportCharts } from '../../../shared/report/chart_options';
import { demoReportData } from '../../../shared/report/demo_report_data';
import { MAX_ALERT_ROWS, renderReport } from '../../../shared/report/render_report';
import { parseReportData, type ReportData } from '../../../shared/report/report_data';
import { jsonScript, markupOnly, unbalancedTags, urlAttributes } from './html_structure';

const data = demoReportData({ topPools: 4, days: 14 });
const html = renderReport(data);

describe('HTML structure', () => {
  test('one document: doctype, html with a head and a body, every element closed in order', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(markupOnly(html).match(/<(html|head|body|main)\b/g)).toEqual(['<html', '<head', '<body', '<main']);
    expect(unbalancedTags(html)).toEqual([]);
  });

  test('the structure checker finds a misnested and an unclosed element', () => {
    expect(unbalancedTags('<div><span></div>')).toEqual(['</div> closes <span>', '<div> never closed', '<span> never closed']);
  });

  test('sections in reading order, one [data-chart] element per chart spec', () => {
    const sections = [...markupOnly(html).matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(sections).toEqual(['detection', 'model', 'alerts-per-day', 'ranking-over-time', 'pools', 'alerts']);
    const chartIds = [...markupOnly(html).matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(chartIds).toEqual(['alerts-per-day', 'ranking-over-time', 'pool-0', 'pool-1', 'pool-2', 'pool-3']);
    expect(JSON.parse(jsonScript(html, 'report-charts'))).toEqual(JSON.parse(JSON.stringify(reportCharts(data))));
  });

  test("the train step's evaluation hours against the truth, when given, follow the model section", () => {
    const withTrain = renderReport({ ...data, train_detection: { ...data.detection!, by_type: [{ type: 'rug_pull', events: 2, caught_within_1h: 1, caught_within_2h: 2, median_delay_hours: 1.5 }], window: { from_hour: data.run.window.from_hour, to_hour: data.run.window.from_hour + 23 * 3600 } } });
    const sections = [...markupOnly(withTrain).matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(sections.slice(0, 3)).toEqual(['detection', 'model', 'train-detection']);
    expect(withTrain).toContain('<tr><th>all</th><th class="n">2</th><th class="n">1</th><th class="n">2</th><th></th></tr>');
    expect(unbalancedTags(withTrain)).toEqual([]);
  });

  test('the chart library is inlined: exactly four script elements, none with src', () => {
    expect(html.match(/<script\b/g)).toHaveLength(4);
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    expect(html).toContain('echarts');
    expect(html).toContain('window.__reportReady = true');
  });

  test('tables carry the numbers: detection totals, metrics, every alert row', () => {
    expect(html).toContain('<tr><th>all</th><th class="n">30</th><th class="n">18</th><th class="n">22</th><th></th></tr>');
    expect(html).toContain('<b>0.941</b><span>ROC-AUC</span>');
    expect(html).toContain('<td class="n">8 of 9</td>');
    expect(markupOnly(html).split('<section id="alerts">')[1]!.match(/<tr>/g)).toHaveLength(data.alerts.length + 1);
    expect(html).toContain(`<h2>Alerts (${data.alerts.length})</h2>`);
  });

  test('a report without truth says so instead of an empty table', () => {
    const page = renderReport({ ...data, detection: null });
    expect(page).toContain('No truth for this run (real data)');
    expect(unbalancedTags(page)).toEqual([]);
  });

  test('at most MAX_ALERT_ROWS alert rows, with the number left out', () => {
    const many: ReportData = { ...data, alerts: Array.from({ length: MAX_ALERT_ROWS + 5 }, () => data.alerts[0]!) };
    const page = renderReport(many);
    expect(markupOnly(page).split('<section id="alerts">')[1]!.match(/<tr>/g)).toHaveLength(MAX_ALERT_ROWS + 1);
    expect(page).toContain('<p>5 more alerts are not listed here.</p>');
  });
});

describe('embedded data', () => {
  test('round-trips: the JSON in the page is the data', () => {
    expect(JSON.parse(jsonScript(html, 'report-data'))).toEqual(data);
  });

  test('a </script> or <!-- in a pool name cannot break out of the data element or the tables', () => {
    const hostile = '</script><script>window.pwned=1</script><!--';
    const evil: ReportData = structuredClone(data);
    evil.top_pools[0]!.pair = hostile;
    evil.alerts[0]!.pair = hostile;
    evil.alerts[0]!.description = `</SCRIPT >& "quoted" 'single'`;
    const page = renderReport(evil);
    expect(page.match(/<\/script/gi)).toHaveLength(4);
    expect(page).not.toContain('<!--');
    expect(page).not.toContain('window.pwned=1</script>');
    expect(JSON.parse(jsonScript(page, 'report-data'))).toEqual(evil);
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;!--');
    expect(page).toContain('&lt;/SCRIPT &gt;&amp; &quot;quoted&quot; &#39;single&#39;');
    expect(unbalancedTags(page)).toEqual([]);
  });

  test('same data, same bytes', () => {
    expect(renderReport(structuredClone(data))).toBe(html);
    expect(renderReport(demoReportData({ topPools: 4, days: 14 }))).toBe(html);
  });

  test('a different value changes the page', () => {
    expect(renderReport({ ...data, model: { ...data.model, version: 'other' } })).not.toBe(html);
  });
});

describe('nothing from the network', () => {
  test('no src attribute at all; the only http(s) hrefs are the pools explorer links from the data', () => {
    const attributes = urlAttributes(html);
    expect(attributes.filter((a) => a.attribute === 'src')).toEqual([]);
    const external = attributes.filter((a) => /^https?:/i.test(a.value));
    expect(external.map((a) => a.value)).toEqual(data.top_pools.flatMap((p) => (p.explorer_url === undefined ? [] : [p.explorer_url])));
    for (const a of external) expect(a.tag).toMatch(/^<a class="external" href="[^"]+" rel="noopener noreferrer">$/);
    expect(external).toHaveLength(1);
  });

  test('no stylesheet, font or import from elsewhere', () => {
    const markup = markupOnly(html);
    expect(markup).not.toMatch(/<link\b|<iframe\b|<img\b|@import|url\(/i);
    expect(html.match(/<style>([\s\S]*?)<\/style>/)![1]).not.toMatch(/url\(|@import|@font-face/i);
  });

  test('a non-https explorer link is refused by the schema', () => {
    const bad = structuredClone(data) as { top_pools: { explorer_url?: string }[] };
    bad.top_pools[0]!.explorer_url = 'javascript:alert(1)';
    expect(() => renderReport(bad as unknown as ReportData)).toThrow(InvalidInputError);
    bad.top_pools[0]!.explorer_url = 'http://etherscan.io/address/0x1';
    expect(() => renderReport(bad as unknown as ReportData)).toThrow("'top_pools.0.explorer_url'");
  });
});

describe('validation', () => {
  test.each([
    ['a series array of another length', (d: ReportData) => d.top_pools[0]!.series.score.pop(), "invalid report data 'top_pools.0.series.score': has 335 values for 336 hours"],
    ['hours out of order', (d: ReportData) => d.top_pools[1]!.series.hour_ts.reverse(), "invalid report data 'top_pools.1.series.hour_ts.1': hours must be strictly increasing"],
    ['a metric above 1', (d: ReportData) => (d.model.metrics.pr_auc = 1.5), "invalid report data 'model.metrics.pr_auc'"],
    ['an hour that is not an hour start', (d: ReportData) => (d.alerts[0]!.hour_ts += 60), "invalid report data 'alerts.0.hour_ts': must be the unix second of an hour start"],
    ['an unknown severity', (d: ReportData) => ((d.alerts[0] as { severity: string }).severity = 'urgent'), "invalid report data 'alerts.0.severity'"],
    ['a day in another format', (d: ReportData) => (d.alerts_per_day[0]!.day = '1/10/2026'), "invalid report data 'alerts_per_day.0.day': must be YYYY-MM-DD"],
  ])('%s is refused, naming the field', (_name, spoil, message) => {
    const bad = structuredClone(data);
    spoil(bad);
    expect(() => parseReportData(bad)).toThrow(InvalidInputError);
    expect(() => parseReportData(bad)).toThrow(message);
  });

  test('the demo data is valid report data', () => {
    expect(parseReportData(data)).toEqual(data);
  });
});

test('size of a typical report (a note, not asserted)', () => {
  const typical = demoReportData();
  const page = renderReport(typical);
  const dataBytes = Buffer.byteLength(jsonScript(page, 'report-data'));
  const chartBytes = Buffer.byteLength(jsonScript(page, 'report-charts'));
  const total = Buffer.byteLength(page);
  console.log(
    `report size, ${typical.top_pools.length} pools x ${typical.run.days} days, ${typical.alerts.length} alerts: ${(total / 1e6).toFixed(2)} MB in all; data JSON ${(dataBytes / 1e3).toFixed(0)} kB, chart specs ${(chartBytes / 1e3).toFixed(0)} kB, chart library and the rest ${((total - dataBytes - chartBytes) / 1e3).toFixed(0)} kB`,
  );
  expect(total).toBeGreaterThan(dataBytes + chartBytes);
});
