import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** ../shared beside the repo (CI and developer machines); a user's clone has none. */
export const SHARED_REFERENCE_DIR = process.env.DEX_SHARED_DIR ?? join(__dirname, '..', '..', '..', 'shared');
export const ODDS_DIR = join(SHARED_REFERENCE_DIR, 'datasets', 'odds');

export interface OddsDataset {
  name: string;
  rows: number;
  cols: number;
  values: Float64Array;
  labels: Uint8Array;
}

export interface OddsSklearnResult {
  dataset: string;
  roc_auc_mean: number;
  roc_auc: number[];
  ap_mean: number;
}

export function oddsAvailable(): boolean {
  return existsSync(join(ODDS_DIR, 'sklearn-1.2.1-results.jsonl'));
}

/** Reads one ODDS CSV (header f0..f{d-1},label; label 1 = anomaly). */
export function loadOdds(name: string): OddsDataset {
  const csvPath = join(ODDS_DIR, `${name}.csv`);
  const text = existsSync(csvPath) ? readFileSync(csvPath, 'utf8') : gunzipSync(readFileSync(`${csvPath}.gz`)).toString('utf8');
  const lines = text.trim().split('\n');
  const cols = lines[0]!.split(',').length - 1;
  const rows = lines.length - 1;
  const values = new Float64Array(rows * cols);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1]!.split(',');
    for (let c = 0; c < cols; c++) values[r * cols + c] = Number(cells[c]);
    labels[r] = Number(cells[cols]);
  }
  return { name, rows, cols, values, labels };
}

export function loadOddsSklearnResults(): OddsSklearnResult[] {
  return readFileSync(join(ODDS_DIR, 'sklearn-1.2.1-results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OddsSklearnResult);
}
