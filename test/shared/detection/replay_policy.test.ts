import { DEFAULT_POLICY } from '../../../shared/alerting';
import { replayPolicy, type ReplayRows } from '../../../shared/detection/replay_policy';
import { truthEventsFromFile } from '../../../shared/detection/truth_file';
import { InvalidInputError } from '../../../shared/errors';

const NAMES = ['tvl_log_change_1h', 'swap_rate_log_change_1h', 'tvl_drawdown_7d', 'volume_vs_usual', 'volume_vs_usual_1h_ago', 'tx_vs_usual', 'market_volume_move', 'market_tvl_move'];
const T0 = 1_800_000_000 - (1_800_000_000 % 3600);
const POLICY = { ...DEFAULT_POLICY, scoreThreshold: 0.7 };

/** One row per (pool, hour) given; `rug` rows carry rug-pull features, the rest zeros. */
function rows(spec: readonly { pool: string; hour: number; rug?: boolean; error?: boolean; history?: number }[]): ReplayRows {
  const features = new Float64Array(spec.length * NAMES.length);
  spec.forEach((r, i) => {
    if (r.rug) features.set([-3, -2], i * NAMES.length);
  });
  return {
    source: spec.map(() => 'uni'),
    dex: spec.map(() => 'uniswap_v3'),
    chain: spec.map(() => 'ethereum'),
    pool: spec.map((r) => r.pool),
    hour: spec.map((r) => T0 + r.hour * 3600),
    historyHours: spec.map((r) => r.history ?? 500),
    isWarm: spec.map(() => 1),
    errorNow: spec.map((r) => (r.error ? 1 : 0)),
    features,
    length: spec.length,
  };
}

describe('replayPolicy', () => {
  test('carries episodes across hours: one post per pool, type and episode; warm-up never alerts', () => {
    const data = rows([
      { pool: 'a', hour: 0, rug: true },
      { pool: 'b', hour: 0, rug: true, history: 10 },
      { pool: 'a', hour: 1, rug: true },
      { pool: 'b', hour: 1, error: true },
      { pool: 'a', hour: 30, rug: true },
    ]);
    const alerts = replayPolicy(data, new Float64Array(data.length).fill(0.5), POLICY, NAMES);
    expect(alerts).toEqual([
      { pool: 'uni/a', hour: T0, type: 'rug_pull', post: true },
      { pool: 'uni/a', hour: T0 + 3600, type: 'rug_pull', post: false },
      { pool: 'uni/b', hour: T0 + 3600, type: 'data_error', post: true },
      { pool: 'uni/a', hour: T0 + 30 * 3600, type: 'rug_pull', post: true },
    ]);
  });

  test('hours must come in order', () => {
    const data = rows([{ pool: 'a', hour: 2 }, { pool: 'a', hour: 1 }]);
    expect(() => replayPolicy(data, [0, 0], POLICY, NAMES)).toThrow(InvalidInputError);
  });
});

describe('truthEventsFromFile', () => {
  test('keys pools by source and lower-case id; abandonment is its own type', () => {
    const file = { anomalies: [{ subgraph: 'uniswap-v3', pool: '0xAB', type: 'liquidity_drain', hours: [3600, 7200], origin: 'abandonment' }, { subgraph: 'uniswap-v3', pool: '0xCD', type: 'rug_pull', hours: [10800] }] };
    expect(truthEventsFromFile(file, { 'uniswap-v3': 'uni' })).toEqual([
      { pool: 'uni/0xab', type: 'abandonment', hours: [3600, 7200] },
      { pool: 'uni/0xcd', type: 'rug_pull', hours: [10800] },
    ]);
  });

  test('a bad file names the field; an unknown subgraph names it', () => {
    expect(() => truthEventsFromFile({ anomalies: [{ subgraph: 'uniswap-v3', pool: 'p', type: 'meteor', hours: [3600] }] }, {})).toThrow("truth file field 'anomalies.0.type'");
    expect(() => truthEventsFromFile({ anomalies: [{ subgraph: 'x', pool: 'p', type: 'rug_pull', hours: [3600] }] }, {})).toThrow("truth file field 'anomalies.0.subgraph'");
    expect(() => truthEventsFromFile({ anomalies: [{ subgraph: 'sushiswap-v2', pool: 'p', type: 'rug_pull', hours: [3600] }] }, { 'uniswap-v3': 'uni' })).toThrow("truth file: no source for subgraph 'sushiswap-v2' (known: uniswap-v3)");
    expect(truthEventsFromFile({ anomalies: [{ subgraph: 'sushiswap-v2', pool: 'p', type: 'rug_pull', hours: [3600] }] }, {}, true)).toEqual([]);
  });
});
