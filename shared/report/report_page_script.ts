/**
 * The page's own script (plain ES2017, runs in the browser after the inlined ECharts): reads the
 * embedded report data and chart specs, fills each pool chart's dataset from the data, replaces the
 * named formatters (`fmt:...`) by functions, draws every `[data-chart]` element and then sets
 * `window.__reportReady = true`, the flag `check:report` waits for. Kept as text because it never
 * runs in Node; the browser test is what checks it.
 */
export const REPORT_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var specs = JSON.parse(document.getElementById('report-charts').textContent);

  function usd(v) {
    if (v === null || v === undefined || isNaN(v)) return '-';
    var a = Math.abs(v);
    if (a >= 1e9) return '$' + (v / 1e9).toFixed(a >= 1e10 ? 0 : 1) + 'B';
    if (a >= 1e6) return '$' + (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M';
    if (a >= 1e3) return '$' + (v / 1e3).toFixed(a >= 1e4 ? 0 : 1) + 'k';
    return '$' + v.toFixed(a >= 10 ? 0 : 2);
  }
  function share(v) {
    return v === null || v === undefined || isNaN(v) ? '-' : v.toFixed(2);
  }
  function valueOf(p) {
    if (!Array.isArray(p.value)) return p.value;
    var y = p.encode && p.encode.y ? p.encode.y[0] : 1;
    return p.value[y];
  }
  function poolTooltip(params) {
    var list = Array.isArray(params) ? params : [params];
    if (list.length === 0) return '';
    var lines = [list[0].axisValueLabel || ''];
    list.forEach(function (p) {
      var v = valueOf(p);
      var text = /USD/.test(p.seriesName) ? usd(v) : share(v);
      if (p.seriesType === 'scatter') text = p.name + ', score ' + share(v);
      lines.push(p.marker + p.seriesName + ': <b>' + text + '</b>');
    });
    return lines.join('<br>');
  }
  var FORMATTERS = { usd: usd, share: share, pool_tooltip: poolTooltip };

  function resolve(node) {
    if (Array.isArray(node)) return node.map(resolve);
    if (node === null || typeof node !== 'object') return node;
    var out = {};
    Object.keys(node).forEach(function (k) {
      var v = node[k];
      if (typeof v === 'string' && v.indexOf('fmt:') === 0) {
        var f = FORMATTERS[v.slice(4)];
        if (!f) throw new Error('unknown formatter ' + v);
        out[k] = f;
      } else out[k] = resolve(v);
    });
    return out;
  }
  function positiveOrNull(v) {
    return v === null || v <= 0 ? null : v;
  }

  var charts = specs.map(function (spec) {
    var el = document.querySelector('[data-chart="' + spec.id + '"]');
    if (!el) throw new Error('no element for chart ' + spec.id);
    var option = resolve(spec.option);
    if (typeof spec.poolIndex === 'number') {
      var s = data.top_pools[spec.poolIndex].series;
      // A log axis cannot show 0: an hour without trades is a gap, not a point.
      option.dataset = {
        source: {
          time: s.hour_ts.map(function (t) { return t * 1000; }),
          volume_usd: s.volume_usd.map(positiveOrNull),
          tvl_usd: s.tvl_usd.map(positiveOrNull),
          score: s.score
        }
      };
    }
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(option);
    return chart;
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.resize(); });
  });
  window.__reportReady = true;
})();`;
