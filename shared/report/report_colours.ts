import { SEVERITY_COLOUR } from '../alerting/vocabulary';

/**
 * The report's colours, in one place so tables and charts agree: alerts (what the pipeline said)
 * are red-orange, injected anomalies (the simulator's truth) purple, never the other way round.
 */
export const ALERT_COLOUR = '#d62728';
export const INJECTED_COLOUR = '#9467bd';

export { SEVERITY_COLOUR };

const KNOWN_TYPES: Readonly<Record<string, string>> = {
  volume_spike: '#e6550d',
  liquidity_drain: '#3182bd',
  rug_pull: '#843c39',
  mispriced_token: '#31a354',
  data_error: '#636363',
};
const OTHER = ['#8c564b', '#e377c2', '#bcbd22', '#17becf', '#7f7f7f'];

/** A stable colour per alert or anomaly type (unknown types hash to a fixed palette). */
export function colourOfType(type: string): string {
  const known = KNOWN_TYPES[type];
  if (known !== undefined) return known;
  let h = 0;
  for (let i = 0; i < type.length; i++) h = (h * 31 + type.charCodeAt(i)) >>> 0;
  return OTHER[h % OTHER.length]!;
}
