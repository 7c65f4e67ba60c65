import { DEFAULT_POLICY, DEFAULT_RULES, DEFAULT_SCORE_RATE, DEFAULT_SPIKE_CONFIRM_RATE, decideHour, defaultPolicy, matchRules, thresholdForRate, type AlertPolicy, type EpisodeState, type RuleInputs, type ScoredPoolHour } from '../../../shared/alerting';
import { InvalidInputError } from '../../../shared/errors';

const QUIET: RuleInputs = { volume_vs_usual: 0.5, volume_vs_usual_1h_ago: 0.5, tx_vs_usual: 0.7, tvl_log_change_1h: 0.001, tvl_drawdown_7d: -0.02, swap_rate_log_change_1h: 0.003, market_volume_move: 0.4, market_tvl_move: 0 };
const H = (h: number) => new Date(Date.UTC(2026, 10, 20, h)).toISOString();
/** Untyped forest alerts posted, so those paths are visible; the default (tested below) stores them only. */
const policy: AlertPolicy = { ...DEFAULT_POLICY, scoreThreshold: 0.7, postUntyped: true };

function row(over: Partial<ScoredPoolHour> & { f?: Partial<RuleInputs> } = {}): ScoredPoolHour {
  const { f, ...rest } = over;
  return { source: 'uniswap-v3-ethereum', dex: 'uniswap', chain: 'ethereum', pool_id: '0xaa', hour_ts: H(0), history_hours: 500, is_warm: true, is_data_error: false, score: 0.45, features: { ...QUIET, ...f }, ...rest };
}

describe('thresholdForRate', () => {
  test('is the (1 - rate) quantile of the training scores', () => {
    const scores = Array.from({ length: 11 }, (_, i) => i / 10);
    expect(thresholdForRate(scores, 0.1)).toBeCloseTo(0.9, 12);
    expect(thresholdForRate(scores, 0.25)).toBeCloseTo(0.75, 12);
  });

  test.each([0, 1, -0.1, Number.NaN])('rejects target rate %p', (rate) => {
    expect(() => thresholdForRate([0.1, 0.2], rate)).toThrow(InvalidInputError);
  });

  test('rejects empty training scores', () => {
    expect(() => thresholdForRate([], 0.01)).toThrow('trainingScores is empty');
  });
});

describe('typed rules', () => {
  test.each<[string, Partial<RuleInputs>, string | undefined, string | undefined]>([
    ['a quiet hour', {}, undefined, undefined],
    ['TVL -95 % and the price -90 %: rug pull', { tvl_log_change_1h: Math.log(0.05), tvl_drawdown_7d: Math.log(0.05), swap_rate_log_change_1h: Math.log(0.1) }, 'rug_pull', 'critical'],
    ['TVL -95 % with a steady price: a drain, high', { tvl_log_change_1h: Math.log(0.05), tvl_drawdown_7d: Math.log(0.05) }, 'liquidity_drain', 'critical'],
    ['TVL -33 % in an hour, -35 % on the week: a drain, medium', { tvl_log_change_1h: Math.log(0.67), tvl_drawdown_7d: Math.log(0.65) }, 'liquidity_drain', 'warning'],
    ['TVL -33 % in an hour but at its weekly high a day ago... still -20 % only: no drain', { tvl_log_change_1h: Math.log(0.67), tvl_drawdown_7d: Math.log(0.8) }, undefined, undefined],
    ['the whole market -30 % in TVL: not this pool\'s drain', { tvl_log_change_1h: Math.log(0.7), tvl_drawdown_7d: Math.log(0.65), market_tvl_move: Math.log(0.72) }, undefined, undefined],
    ['volume 20x its busy hour with 10x transactions: spike, high', { volume_vs_usual: Math.log(21), tx_vs_usual: Math.log(11) }, 'volume_spike', 'critical'],
    ['volume 7x with 3x transactions: spike, medium', { volume_vs_usual: Math.log(8), tx_vs_usual: Math.log(4) }, 'volume_spike', 'warning'],
    ['volume 20x from a single trade (transactions as usual): no spike', { volume_vs_usual: Math.log(21), tx_vs_usual: Math.log(2) }, undefined, undefined],
    ['volume 5x while the whole market is 3x: no spike', { volume_vs_usual: Math.log(6), tx_vs_usual: Math.log(4), market_volume_move: Math.log(4) }, undefined, undefined],
  ])('%s', (_name, f, type, severity) => {
    const m = matchRules({ ...QUIET, ...f }, DEFAULT_RULES);
    expect([m?.type, m?.severity]).toEqual([type, severity]);
  });

  test.each<[string, Partial<RuleInputs>, boolean]>([
    ['a medium spike after a quiet hour', { volume_vs_usual: Math.log(8), tx_vs_usual: Math.log(4) }, false],
    ['a medium spike after an hour 6x the busy hour', { volume_vs_usual: Math.log(8), volume_vs_usual_1h_ago: Math.log(7), tx_vs_usual: Math.log(4) }, true],
    ['a medium spike after an hour 6x while the market is 1.5x: the previous hour nets to below the spike level', { volume_vs_usual: Math.log(13), volume_vs_usual_1h_ago: Math.log(7), tx_vs_usual: Math.log(4), market_volume_move: Math.log(2.5) }, false],
  ])('sustained: %s', (_name, f, sustained) => {
    const m = matchRules({ ...QUIET, ...f });
    expect([m?.type, m?.severity, m?.sustained]).toEqual(['volume_spike', 'warning', sustained]);
  });

  test('the reason says what moved and by how much', () => {
    expect(matchRules({ ...QUIET, tvl_log_change_1h: Math.log(0.05), tvl_drawdown_7d: Math.log(0.05), swap_rate_log_change_1h: Math.log(0.1) })!.reason).toBe("TVL fell 95 % in one hour while token0's price in the pool fell 90 %");
  });
});

test('defaultPolicy: both thresholds from the training scores, forest-only anomalies not posted', () => {
  const scores = Array.from({ length: 10001 }, (_, i) => i / 10000);
  expect(defaultPolicy(scores)).toMatchObject({ scoreThreshold: thresholdForRate(scores, DEFAULT_SCORE_RATE), spikeConfirmThreshold: thresholdForRate(scores, DEFAULT_SPIKE_CONFIRM_RATE), postUntyped: false, minHistoryHours: 72 });
  expect(defaultPolicy(scores).spikeConfirmThreshold).toBeCloseTo(0.995, 12);
});

describe('decideHour', () => {
  test('a normal hour: stored, not an anomaly, not posted', () => {
    const [d] = decideHour([row()], policy).decisions;
    expect(d).toEqual({
      source: 'uniswap-v3-ethereum', dex: 'uniswap', chain: 'ethereum', pool_id: '0xaa', hour_ts: H(0), score: 0.45, threshold: 0.7,
      is_anomaly: false, alert_type: null, severity: null, episode_key: null, episode_start: null, post: false, reason: 'normal', reason_inputs: { ...QUIET, score: 0.45 },
    });
  });

  test('a pool in warm-up never alerts, whatever its score', () => {
    const [d] = decideHour([row({ is_warm: false, history_hours: 10, score: 0.99, f: { volume_vs_usual: 5, tx_vs_usual: 5 } })], policy).decisions;
    expect(d).toMatchObject({ is_anomaly: false, alert_type: null, post: false, reason: 'warming up: 10 h of history, 72 needed' });
  });

  test('a data error is its own type, not a market anomaly, posted once per episode', () => {
    const [d] = decideHour([row({ is_data_error: true, score: 0.95 })], policy).decisions;
    expect(d).toMatchObject({ is_anomaly: false, alert_type: 'data_error', severity: 'info', episode_key: 'ethereum/uniswap/0xaa/data_error', post: true });
  });

  test('the forest alone: an untyped, low-severity anomaly', () => {
    const [d] = decideHour([row({ score: 0.72 })], policy).decisions;
    expect(d).toMatchObject({ is_anomaly: true, alert_type: 'anomaly', severity: 'info', post: true, reason: 'unusual combination of features: score 0.720 >= threshold 0.700' });
  });

  test('a typed rule alerts with or without the forest, and says when the model agrees', () => {
    const spike = { volume_vs_usual: Math.log(21), tx_vs_usual: Math.log(11) };
    const [a, b] = decideHour([row({ f: spike }), row({ pool_id: '0xbb', f: spike, score: 0.8 })], policy).decisions;
    expect([a!.alert_type, a!.reason.endsWith('the model agrees'), b!.alert_type, b!.reason.endsWith('the model agrees')]).toEqual(['volume_spike', false, 'volume_spike', true]);
  });

  test('episodes: one post per pool and type; the cooldown restarts with each alert; a later one is a new episode', () => {
    const drain = { tvl_log_change_1h: Math.log(0.5), tvl_drawdown_7d: Math.log(0.5) };
    let state: EpisodeState = new Map();
    const posted: [number, boolean, string | null][] = [];
    for (const h of [0, 1, 2, 20, 44, 69]) {
      const out = decideHour([row({ hour_ts: H(h), f: drain })], policy, state);
      state = out.state;
      posted.push([h, out.decisions[0]!.post, out.decisions[0]!.episode_start]);
    }
    // 20 is within 24 h of 2, 44 within 24 h of 20; 69 is 25 h after 44: a new episode.
    expect(posted).toEqual([[0, true, H(0)], [1, false, H(0)], [2, false, H(0)], [20, false, H(0)], [44, false, H(0)], [69, true, H(69)]]);
  });

  test('a different type on the same pool is a different episode', () => {
    const first = decideHour([row({ f: { tvl_log_change_1h: Math.log(0.5), tvl_drawdown_7d: Math.log(0.5) } })], policy);
    const second = decideHour([row({ hour_ts: H(1), f: { volume_vs_usual: Math.log(21), tx_vs_usual: Math.log(11) } })], policy, first.state);
    expect(second.decisions[0]).toMatchObject({ alert_type: 'volume_spike', post: true, episode_key: 'ethereum/uniswap/0xaa/volume_spike' });
  });

  test.each(['0xaa', 'ethereum/uniswap/0xaa', 'ethereum/uniswap/0xaa/anomaly'])('muted by %s: stored as an anomaly, not posted', (entry) => {
    const [d] = decideHour([row({ score: 0.9 })], { ...policy, mute: [entry] }).decisions;
    expect(d).toMatchObject({ is_anomaly: true, alert_type: 'anomaly', post: false, reason: 'unusual combination of features: score 0.900 >= threshold 0.700 (muted)' });
  });

  test('the hourly cap posts the most serious first', () => {
    const rows = [
      row({ pool_id: '0x01', score: 0.95 }),
      row({ pool_id: '0x02', f: { tvl_log_change_1h: Math.log(0.05), tvl_drawdown_7d: Math.log(0.05), swap_rate_log_change_1h: Math.log(0.1) } }),
      row({ pool_id: '0x03', score: 0.75 }),
    ];
    const { decisions } = decideHour(rows, { ...policy, maxPostsPerHour: 2 });
    expect(decisions.map((d) => [d.pool_id, d.alert_type, d.post])).toEqual([['0x01', 'anomaly', true], ['0x02', 'rug_pull', true], ['0x03', 'anomaly', false]]);
    expect(decisions[2]!.reason).toContain('not posted: over 2 posts this hour');
  });

  test('spike confirmation: a medium spike needs the forest above the looser threshold; a high one does not', () => {
    const medium = { volume_vs_usual: Math.log(8), tx_vs_usual: Math.log(4) };
    const high = { volume_vs_usual: Math.log(21), tx_vs_usual: Math.log(11) };
    const confirming = { ...policy, spikeConfirmThreshold: 0.6 };
    const out = decideHour([row({ pool_id: '0x01', f: medium, score: 0.55 }), row({ pool_id: '0x02', f: medium, score: 0.62 }), row({ pool_id: '0x03', f: high, score: 0.4 })], confirming).decisions;
    expect(out.map((d) => [d.pool_id, d.alert_type, d.severity])).toEqual([['0x01', null, null], ['0x02', 'volume_spike', 'warning'], ['0x03', 'volume_spike', 'critical']]);
  });

  test('a medium spike in its second hour alerts without the forest; the first hour of the same spike does not', () => {
    const first = { volume_vs_usual: Math.log(8), tx_vs_usual: Math.log(4) };
    const second = { ...first, volume_vs_usual_1h_ago: Math.log(8) };
    const confirming = { ...policy, spikeConfirmThreshold: 0.6 };
    const out = decideHour([row({ pool_id: '0x01', f: first, score: 0.5 }), row({ pool_id: '0x02', f: second, score: 0.5 })], confirming).decisions;
    expect(out.map((d) => [d.pool_id, d.alert_type, d.severity])).toEqual([['0x01', null, null], ['0x02', 'volume_spike', 'warning']]);
    expect(out[1]!.reason).toBe("volume 7.0x the pool's usual busy hour (market 0.5x), the second hour in a row (previous hour 7.0x), transactions 3.0x the usual");
  });

  test('postUntyped false: the forest alone is stored as an anomaly without a type, never posted', () => {
    const [d] = decideHour([row({ score: 0.9 })], { ...policy, postUntyped: false }).decisions;
    expect(d).toMatchObject({ is_anomaly: true, alert_type: null, episode_key: null, post: false });
  });

  test('rows of two hours, or a missing feature, are rejected with the reason', () => {
    expect(() => decideHour([row(), row({ hour_ts: H(1) })], policy)).toThrow(`decideHour got rows of ${H(0)} and ${H(1)}: one hour at a time`);
    expect(() => decideHour([row({ features: { ...QUIET, tx_vs_usual: Number.NaN } })], policy)).toThrow('feature tx_vs_usual of uniswap-v3-ethereum/0xaa');
  });
});
