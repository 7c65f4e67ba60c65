import { alertsPerDay } from '../../../shared/report/alerts_per_day';

const H = 3600;
const T0 = Date.UTC(2026, 9, 1) / 1000;

test('every day of the window, every type on every day, alerts outside the window left out', () => {
  const alerts = [
    { hour_ts: T0 + 23 * H, type: 'volume_spike' },
    { hour_ts: T0 + 24 * H, type: 'volume_spike' },
    { hour_ts: T0 + 25 * H, type: 'data_error' },
    { hour_ts: T0 + 71 * H, type: 'volume_spike' },
    { hour_ts: T0 + 72 * H, type: 'rug_pull' },
    { hour_ts: T0 - H, type: 'rug_pull' },
  ];
  expect(alertsPerDay(alerts, { from_hour: T0, to_hour: T0 + 71 * H })).toEqual([
    { day: '2026-10-01', by_type: { data_error: 0, rug_pull: 0, volume_spike: 1 } },
    { day: '2026-10-02', by_type: { data_error: 1, rug_pull: 0, volume_spike: 1 } },
    { day: '2026-10-03', by_type: { data_error: 0, rug_pull: 0, volume_spike: 1 } },
  ]);
});

test('no alerts: the days with no types', () => {
  expect(alertsPerDay([], { from_hour: T0 + 5 * H, to_hour: T0 + 30 * H })).toEqual([
    { day: '2026-10-01', by_type: {} },
    { day: '2026-10-02', by_type: {} },
  ]);
});
