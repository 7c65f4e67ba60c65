import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { createBenchMart } from '../../scripts/bench/score_mart';

// bench:score broke unnoticed when features were added without a generator: this keeps it building.
test('the score bench builds a mart with every feature of the spec, all finite, and the columns the scorer reads', async () => {
  const wh = await DuckDbWarehouse.open();
  try {
    expect(await createBenchMart(wh, { pools: 6, fromHour: Date.UTC(2026, 10, 1) / 1000, hours: 3, eventRate: 0.01, salt: 1 })).toBe(18);
    const [row] = await wh.query(`SELECT COUNT(*) AS n, COUNT(is_data_error_now) AS flagged, ${FEATURE_NAMES.map((f) => `SUM(CASE WHEN isfinite(${f}) THEN 1 ELSE 0 END) AS ${f}`).join(', ')} FROM dex_anomaly.mart_pool_features_labeled`);
    expect(Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]))).toEqual(Object.fromEntries([['n', 18], ['flagged', 18], ...FEATURE_NAMES.map((f) => [f, 18])]));
  } finally {
    await wh.close();
  }
});
