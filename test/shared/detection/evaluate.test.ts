import { markEpisodePosts } from '../../../shared/detection/episodes';
import { evaluateAlerts, median, poolEvaluations, type AlertRecord, type TruthEvent } from '../../../shared/detection/evaluate';

const H = 3600;
const T0 = 1_800_000_000 - (1_800_000_000 % H);
const at = (h: number) => T0 + h * H;
const window = { from: at(0), to: at(239), pools: 500 };

const events: TruthEvent[] = [
  { pool: 'p1', type: 'volume_spike', hours: [at(10), at(11)] },
  { pool: 'p2', type: 'liquidity_drain', hours: [at(20), at(21), at(22)] },
  { pool: 'p3', type: 'rug_pull', hours: [at(30)] },
  { pool: 'p4', type: 'mispriced_token', hours: [at(40)] },
  { pool: 'p5', type: 'mispriced_token', hours: [at(50)] },
  // Before the window: not counted.
  { pool: 'p6', type: 'volume_spike', hours: [at(-5)] },
];

describe('evaluateAlerts', () => {
  const alerts: AlertRecord[] = [
    { pool: 'p1', hour: at(10), type: 'volume_spike', post: true }, // caught in the onset hour: delay 1
    { pool: 'p1', hour: at(11), type: 'volume_spike', post: false }, // same episode
    { pool: 'p2', hour: at(21), type: 'liquidity_drain', post: true }, // delay 2
    { pool: 'p3', hour: at(33), type: 'anomaly', post: true }, // delay 4: caught within 24 h only
    { pool: 'p4', hour: at(40), type: 'data_error', post: true }, // mispriced routed as data error
    { pool: 'p5', hour: at(50), type: 'volume_spike', post: true }, // a mispriced hour alerted as a market event: false
    { pool: 'p9', hour: at(100), type: 'anomaly', post: true }, // no event: false
    { pool: 'p2', hour: at(22 + 30), type: 'liquidity_drain', post: true }, // 30 h after the drain's last hour: false
    { pool: 'p9', hour: at(300), type: 'anomaly', post: true }, // outside the window: ignored
  ];
  const e = evaluateAlerts(events, alerts, window);

  test('caught within 1 h and 2 h of onset, and the median delay, per type', () => {
    expect(e.types.volume_spike).toEqual({ events: 1, caught_1h: 1, caught_2h: 1, caught_24h: 1, median_delay_h: 1 });
    expect(e.types.liquidity_drain).toEqual({ events: 1, caught_1h: 0, caught_2h: 1, caught_24h: 1, median_delay_h: 2 });
    expect(e.types.rug_pull).toEqual({ events: 1, caught_1h: 0, caught_2h: 0, caught_24h: 1, median_delay_h: 4 });
    expect(e.types.abandonment).toEqual({ events: 0, caught_1h: 0, caught_2h: 0, caught_24h: 0, median_delay_h: null });
  });

  test('precision over posted market alerts; false alerts per 1,000 pools per day', () => {
    expect([e.alerts_posted, e.alerts_true, e.false_alerts]).toEqual([6, 3, 3]);
    expect(e.alert_precision).toBeCloseTo(0.5, 12);
    expect(e.false_by_type).toEqual({ volume_spike: 1, anomaly: 1, liquidity_drain: 1 });
    // 3 false alerts, 500 pools, 10 days: 3 / 0.5 / 10.
    expect(e.alerts_per_1000_pools_day).toBeCloseTo(0.6, 12);
  });

  test('mispriced tokens: the share routed as data errors in the hour itself', () => {
    expect(e.mispriced_as_data_error).toBe(0.5);
    expect(e.data_error_posts).toBe(1);
  });

  test('pooling two runs sums the counts and takes the median over all delays', () => {
    const pooled = poolEvaluations([e, e], [window, window]);
    expect(pooled.types.liquidity_drain).toEqual({ events: 2, caught_1h: 0, caught_2h: 2, caught_24h: 2, median_delay_h: 2 });
    expect([pooled.alerts_posted, pooled.alert_precision, pooled.alerts_per_1000_pools_day]).toEqual([12, 0.5, 0.6]);
    expect(pooled.false_by_type).toEqual({ volume_spike: 2, anomaly: 2, liquidity_drain: 2 });
  });

  test('median', () => {
    expect([median([]), median([3]), median([4, 1, 3]), median([1, 2, 3, 10])]).toEqual([null, 3, 3, 2.5]);
  });
});

describe('markEpisodePosts', () => {
  test('one post per pool and type while alerts keep coming within the cooldown', () => {
    const a = [0, 1, 2, 30, 31].map((h) => ({ pool: 'p', hour: at(h), type: 'anomaly' }));
    const b = [{ pool: 'p', hour: at(1), type: 'volume_spike' }, { pool: 'q', hour: at(2), type: 'anomaly' }];
    const marked = markEpisodePosts([...a, ...b].sort((x, y) => x.hour - y.hour), 24);
    expect(marked.filter((m) => m.post).map((m) => [m.pool, m.type, (m.hour - T0) / H])).toEqual([['p', 'anomaly', 0], ['p', 'volume_spike', 1], ['q', 'anomaly', 2], ['p', 'anomaly', 30]]);
  });
});
