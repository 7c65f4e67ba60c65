import { buildAlertMessage, buildDataErrorMessage, buildDigestMessage, describeFact, describeRarity, formatHour, type AlertRecord } from '../../../shared/alerts/slack_blocks';
import { candidate, H, POOL } from './alert_fixtures';

const record = (overrides: Partial<AlertRecord> = {}): AlertRecord => ({ ...candidate(), alert_id: 'a1', episode_start: H, ...overrides });

test.each([
  ['tvl_change_2h', -0.94, 'TVL fell 94 % in 2 h'],
  ['tvl_change_24h', 1.5, 'TVL rose 150 % in 24 h'],
  ['price_change_1h', -0.123, 'price fell 12.3 % in 1 h'],
  ['volume_vs_usual', 38.4, 'volume 38x its usual hour'],
  ['volume_vs_usual', 4.25, 'volume 4.25x its usual hour'],
  ['swaps_vs_usual', 12, 'swaps 12x their usual hour'],
  ['price_deviation', 0.97, 'price 97 % off the market reference'],
  ['fee_tier', 3000, 'fee_tier: 3,000'],
])('fact %s = %d reads "%s"', (name, value, words) => {
  expect(describeFact(name, value)).toBe(words);
});

test.each([
  [99.9, 'top 0.1 %'],
  [99, 'top 1 %'],
  [97.5, 'top 2.5 %'],
  [99.99, 'top 0.01 %'],
])('percentile %d is %s', (p, words) => {
  expect(describeRarity(p)).toBe(words);
});

test('hours read as UTC', () => {
  expect(formatHour(H)).toBe('2026-11-24 05:00 UTC');
});

test('an alert: what happened in words, score and rarity, top features against the usual, links, severity, model', () => {
  expect(buildAlertMessage(record())).toEqual({
    kind: 'alert',
    alertIds: ['a1'],
    text: '[CRITICAL] Liquidity drain: WETH/USDC on Uniswap (ethereum), 2026-11-24 05:00 UTC: TVL fell 94 % in 2 h; volume 38x its usual hour. Score 0.812, top 0.1 %.',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Liquidity drain: WETH/USDC on Uniswap (ethereum)', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: ':red_circle: *CRITICAL* · 2026-11-24 05:00 UTC\n*What happened:* TVL fell 94 % in 2 h; volume 38x its usual hour' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Pool*\nWETH/USDC \`${POOL}\`` },
          { type: 'mrkdwn', text: '*Score*\n0.812 (threshold 0.62), top 0.1 %' },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: "*Top features (this hour vs the pool's usual)*\n• `tvl_change_2h`: -0.94 (usual 0.01), contribution 0.41\n• `volume_vs_usual`: 38 (usual 1), contribution 0.22" } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<https://app.uniswap.org/explore/pools/ethereum/${POOL}|Uniswap> · <https://etherscan.io/address/${POOL}|etherscan.io> · model iforest-2026-11-20 · alert a1` }] },
    ],
  });
});

test('a Sushi v2 pool links to its v2 page (version from the source id) and shows a short address without a pair', () => {
  const message = buildAlertMessage(record({ source: 'sushiswap-v2-ethereum', dex: 'sushiswap', pair: null, severity: 'warning', alert_type: 'volume_spike', facts: { volume_vs_usual: 12 }, top_features: [] }));
  expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Volume spike: 0x88e6a0…5640 on Sushi (ethereum)', emoji: true } });
  expect(message.blocks).toHaveLength(4);
  expect(message.blocks[3]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: `<https://www.sushi.com/ethereum/pool/v2/${POOL}|Sushi> · <https://etherscan.io/address/${POOL}|etherscan.io> · model iforest-2026-11-20 · alert a1` }] });
  expect(message.text).toBe('[WARNING] Volume spike: 0x88e6a0…5640 on Sushi (ethereum), 2026-11-24 05:00 UTC: volume 12x its usual hour. Score 0.812, top 0.1 %.');
});

test('a data error says it is about the data, never a market move', () => {
  const message = buildDataErrorMessage(record({ alert_id: 'd1', alert_type: 'data_error', severity: 'warning', facts: { price_deviation: 0.97 }, top_features: [{ feature: 'token0_price_usd', value: 3.1, baseline: 3120, contribution: 0.5 }] }));
  expect(message).toEqual({
    kind: 'data_error',
    alertIds: ['d1'],
    text: 'Data error (not a market anomaly): WETH/USDC on Uniswap (ethereum), 2026-11-24 05:00 UTC: price 97 % off the market reference.',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Data error, not a market move: WETH/USDC on Uniswap (ethereum)', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: `:warning: 2026-11-24 05:00 UTC · pool \`${POOL}\`\n*What looks wrong:* price 97 % off the market reference\nThis pool-hour's numbers come from bad source data; check the token prices before trusting them.` } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Features affected*\n• `token0_price_usd`: 3.1 (usual 3,120), contribution 0.5' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<https://app.uniswap.org/explore/pools/ethereum/${POOL}|Uniswap> · <https://etherscan.io/address/${POOL}|etherscan.io> · model iforest-2026-11-20 · alert d1` }] },
    ],
  });
});

// What the scorer stores as facts today: the rule inputs and the score; a data error only the score.
test('the score is said once, beside its threshold, never again among the facts; a data error without facts says what the flag means', () => {
  const market = buildAlertMessage(record({ severity: 'warning', alert_type: 'volume_spike', score: 0.709, facts: { volume_vs_usual: 20, score: 0.709 } }));
  expect(market.text).toBe('[WARNING] Volume spike: WETH/USDC on Uniswap (ethereum), 2026-11-24 05:00 UTC: volume 20x its usual hour. Score 0.709, top 0.1 %.');
  const dataError = buildDataErrorMessage(record({ alert_id: 'd2', alert_type: 'data_error', severity: 'info', score: 0.396, facts: { score: 0.396 } }));
  expect(dataError.text).toBe("Data error (not a market anomaly): WETH/USDC on Uniswap (ethereum), 2026-11-24 05:00 UTC: a token's USD price in this pool is 10x or more off its recent prices, or the source reports an impossible value (negative TVL, USD volume zero with token volume).");
  expect(JSON.stringify(dataError.blocks)).not.toContain('0.396');
});

test('a digest: counts by severity, the most urgent first, the rest counted', () => {
  const alerts = [
    record({ alert_id: 'w1', pool_id: '0xw1', pair: 'PEPE/WETH', severity: 'warning', alert_type: 'volume_spike', score: 0.7, score_percentile: 99, facts: { volume_vs_usual: 20 } }),
    record({ alert_id: 'c1' }),
    record({ alert_id: 'w2', pool_id: '0xw2', pair: 'LINK/WETH', severity: 'warning', alert_type: 'anomaly', score: 0.75, score_percentile: 99.5, facts: {}, dex: 'sushiswap', source: 'sushiswap-v3-ethereum' }),
  ];
  expect(buildDigestMessage(alerts, 2)).toEqual({
    kind: 'digest',
    alertIds: ['c1', 'w2', 'w1'],
    text: '3 pools alerted at 2026-11-24 05:00 UTC: 1 critical, 2 warning. Most urgent: WETH/USDC liquidity drain (0.812), LINK/WETH unusual activity (0.75), PEPE/WETH volume spike (0.7).',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: '3 pools alerted at 2026-11-24 05:00 UTC', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '*1 critical, 2 warning*. Most urgent first:' } },
      { type: 'section', text: { type: 'mrkdwn', text: `:red_circle: *WETH/USDC* Uniswap (ethereum): liquidity drain, TVL fell 94 % in 2 h; volume 38x its usual hour; score 0.812 (top 0.1 %) · <https://app.uniswap.org/explore/pools/ethereum/${POOL}|Uniswap> · <https://etherscan.io/address/${POOL}|etherscan.io>` } },
      { type: 'section', text: { type: 'mrkdwn', text: ':large_orange_circle: *LINK/WETH* Sushi (ethereum): unusual activity; score 0.75 (top 0.5 %) · <https://www.sushi.com/ethereum/pool/v3/0xw2|Sushi> · <https://etherscan.io/address/0xw2|etherscan.io>' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '…and 1 more in dex_anomaly.alerts' }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'model iforest-2026-11-20' }] },
    ],
  });
});

test('a digest over several hours names the range', () => {
  const message = buildDigestMessage([record({ alert_id: 'x' }), record({ alert_id: 'y', hour_ts: H + 7200 })]);
  expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '2 pools alerted between 2026-11-24 05:00 UTC and 2026-11-24 07:00 UTC', emoji: true } });
});

test('Block Kit limits hold for long names: headers within 150 characters, digest sections within 3000', () => {
  const long = record({ pair: 'X'.repeat(200) });
  const alertHeader = buildAlertMessage(long).blocks[0] as { text: { text: string } };
  expect(alertHeader.text.text).toHaveLength(150);
  const digest = buildDigestMessage(Array.from({ length: 40 }, (_v, i) => record({ alert_id: `a${i}`, pool_id: `0x${'f'.repeat(40)}${i}` })));
  const sectionTexts = digest.blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text.length] : []));
  expect(sectionTexts).toHaveLength(11);
  expect(Math.max(...sectionTexts)).toBeLessThan(3000);
  expect(digest.blocks.length).toBeLessThanOrEqual(50);
});
