import { readFileSync } from 'node:fs';

/** The inlined charting library: ECharts' "common" build (line, bar, scatter, marks, legend, zoom). */
export const CHART_LIBRARY = 'echarts/dist/echarts.common.min.js';

let cached: string | undefined;

/**
 * The minified ECharts text, read once from node_modules (the pinned dependency) so the report
 * needs nothing from the network. Refuses a text that could close the inline <script> early.
 */
export function chartLibraryScript(): string {
  if (cached !== undefined) return cached;
  const text = readFileSync(require.resolve(CHART_LIBRARY), 'utf8');
  if (/<\/script|<!--/i.test(text)) throw new Error(`${CHART_LIBRARY} contains </script or <!--: it cannot be inlined as is`);
  cached = text;
  return text;
}
