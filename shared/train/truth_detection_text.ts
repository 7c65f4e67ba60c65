import { EVENT_TYPES } from '../detection/evaluate';
import type { TruthDetection } from './truth_detection';

const fixed = (x: number | null, digits: number): string => (x === null ? '-' : x.toFixed(digits));

/** The detection benchmark's figures on the evaluation days, or the line saying there are none. */
export function truthDetectionLines(d: TruthDetection): string[] {
  if (!d.available) return [`ground truth: ${d.note}`];
  const f = d.figures;
  const hour = (t: number) => new Date(t * 1000).toISOString().slice(0, 13).replace('T', ' ');
  return [
    `detection against the ground truth: ${d.window.hours} evaluation hours ${hour(d.window.from)}h .. ${hour(d.window.to)}h, ${d.window.pools} pools, replayed through the alert policy with this model's thresholds (one post per pool, type and episode)`,
    '',
    '| anomaly type | events | caught <=1 h | caught <=2 h | median delay h |',
    '|---|--:|--:|--:|--:|',
    ...EVENT_TYPES.map((t) => `| ${t} | ${f.types[t].events} | ${f.types[t].caught_1h} | ${f.types[t].caught_2h} | ${fixed(f.types[t].median_delay_h, 1)} |`),
    '',
    `alert precision ${fixed(f.alert_precision, 2)} (${f.alerts_true} of ${f.alerts_posted} posted market alerts on an event or its ${f.aftermath_hours} h aftermath); false alerts per 1,000 pools per day ${fixed(f.alerts_per_1000_pools_day, 2)}; mispriced tokens routed as data errors ${fixed(f.mispriced_as_data_error, 2)} (${f.data_error_posts} data-error posts)`,
  ];
}
