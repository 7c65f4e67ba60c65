import { HOUR_SECONDS } from '../hours';
import type { AlertRow, ReportData, RunInfo } from './report_data';

const DAY_SECONDS = 24 * HOUR_SECONDS;

/**
 * `alerts_per_day` from the alert list: every UTC day of the window in order, every alert type seen
 * anywhere counted on every day (0 included, so the stacked bars and their legend agree).
 * Alerts outside the window are not counted.
 */
export function alertsPerDay(alerts: readonly Pick<AlertRow, 'hour_ts' | 'type'>[], window: RunInfo['window']): ReportData['alerts_per_day'] {
  const types = [...new Set(alerts.map((a) => a.type))].sort();
  const firstDay = Math.floor(window.from_hour / DAY_SECONDS);
  const lastDay = Math.floor(window.to_hour / DAY_SECONDS);
  const days = Array.from({ length: Math.max(0, lastDay - firstDay + 1) }, (_, i) => ({
    day: new Date((firstDay + i) * DAY_SECONDS * 1000).toISOString().slice(0, 10),
    by_type: Object.fromEntries(types.map((t) => [t, 0])),
  }));
  for (const a of alerts) {
    if (a.hour_ts < window.from_hour || a.hour_ts > window.to_hour) continue;
    const d = days[Math.floor(a.hour_ts / DAY_SECONDS) - firstDay]!;
    d.by_type[a.type] = (d.by_type[a.type] ?? 0) + 1;
  }
  return days;
}
