import { evaluateAlerts, type TruthEvent } from '../../../shared/detection/evaluate';
import { recordsFromStoredAlerts } from '../../../shared/detection/stored_alerts';

const H = 3600;
const T0 = 1_800_000_000 - (1_800_000_000 % H);
const at = (h: number) => T0 + h * H;

describe('recordsFromStoredAlerts', () => {
  // A spike alerted from its onset hour for 4 hours: one episode, whose alerts row ends at hour 13.
  const decisions = [
    { pool: 's/p1', hour: at(11), type: 'volume_spike' },
    { pool: 's/p1', hour: at(10), type: 'volume_spike' },
    { pool: 's/p1', hour: at(12), type: 'volume_spike' },
    { pool: 's/p1', hour: at(13), type: 'volume_spike' },
    { pool: 's/p2', hour: at(12), type: 'data_error' },
  ];
  const episodes = [
    { pool: 's/p1', type: 'volume_spike', episodeStart: at(10) },
    { pool: 's/p2', type: 'data_error', episodeStart: at(12) },
  ];

  test('every alerting hour in time order, posted only at the hour that opened its episode', () => {
    expect(recordsFromStoredAlerts(decisions, episodes)).toEqual([
      { pool: 's/p1', hour: at(10), type: 'volume_spike', post: true },
      { pool: 's/p1', hour: at(11), type: 'volume_spike', post: false },
      { pool: 's/p1', hour: at(12), type: 'volume_spike', post: false },
      { pool: 's/p2', hour: at(12), type: 'data_error', post: true },
      { pool: 's/p1', hour: at(13), type: 'volume_spike', post: false },
    ]);
  });

  test('the event is caught in its onset hour (dating the alert at the episode end made it 4 h late)', () => {
    const events: TruthEvent[] = [{ pool: 's/p1', type: 'volume_spike', hours: [at(10), at(11)] }];
    const window = { from: at(0), to: at(47), pools: 100 };
    const e = evaluateAlerts(events, recordsFromStoredAlerts(decisions, episodes), window);
    expect(e.types.volume_spike).toEqual({ events: 1, caught_1h: 1, caught_2h: 1, caught_24h: 1, median_delay_h: 1 });
    expect(e.alerts_posted).toBe(1);
    expect(e.alert_precision).toBe(1);
    const lastHourOnly = evaluateAlerts(events, [{ pool: 's/p1', hour: at(13), type: 'volume_spike', post: true }], window);
    expect(lastHourOnly.types.volume_spike.median_delay_h).toBe(4);
  });
});
