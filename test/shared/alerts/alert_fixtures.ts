import type { AlertCandidate } from '../../../shared/alerts/alert_candidate';

/** 2026-11-24 05:00 UTC. */
export const H = Date.UTC(2026, 10, 24, 5) / 1000;
export const POOL = '0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640';

/** A liquidity drain on Uniswap v3 WETH/USDC, the shape the policy hands over. */
export function candidate(overrides: Partial<AlertCandidate> = {}): AlertCandidate {
  return {
    source: 'uniswap-v3-ethereum',
    dex: 'uniswap',
    chain: 'ethereum',
    pool_id: POOL,
    pair: 'WETH/USDC',
    hour_ts: H,
    alert_type: 'liquidity_drain',
    severity: 'critical',
    score: 0.8123,
    threshold: 0.62,
    score_percentile: 99.9,
    model_version: 'iforest-2026-11-20',
    top_features: [
      { feature: 'tvl_change_2h', value: -0.94, baseline: 0.01, contribution: 0.41 },
      { feature: 'volume_vs_usual', value: 38, baseline: 1, contribution: 0.22 },
    ],
    facts: { tvl_change_2h: -0.94, volume_vs_usual: 38 },
    ...overrides,
  };
}
