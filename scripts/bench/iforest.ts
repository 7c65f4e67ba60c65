/**
 * npm run bench:iforest -- [--train F --score F --cols N --labels F] [--rows N --score-rows N]
 *   [--trees N] [--max-samples auto|N] [--seed N] [--repeat N] [--impl NAME] [--kind K]
 *   [--max-score-rows N]
 *
 * Times fitting and scoring on the same raw float64 files, with the same flags, as
 * ../shared/bench/sklearn_iforest_bench.py, and prints one JSON line with its keys plus peak
 * memory. Scoring streams the score file in chunks, so memory stays flat however many rows are
 * scored (scores are kept only when --labels asks for ROC-AUC).
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { parseCliArgs, runCli } from '../cli_args';
import { averagePrecision, rocAuc } from '../../shared/metrics/ranking';
import { createImplementation, IMPLEMENTATIONS } from './implementations';
import { readF64, streamF64Rows, writeNormalF64 } from './raw_f64';

const SCORE_CHUNK_ROWS = 65536;

const argsSchema = z.object({
  rows: z.coerce.number().int().min(1).default(100_000),
  cols: z.coerce.number().int().min(1).default(8),
  'score-rows': z.coerce.number().int().min(1).default(1_000_000),
  train: z.string().optional(),
  score: z.string().optional(),
  labels: z.string().optional(),
  trees: z.coerce.number().int().min(1).default(100),
  'max-samples': z.union([z.literal('auto'), z.coerce.number().int().min(1)]).default('auto'),
  repeat: z.coerce.number().int().min(1).default(3),
  seed: z.coerce.number().int().min(0).default(0),
  impl: z.enum(IMPLEMENTATIONS).default('dex-anomaly'),
  kind: z.enum(['axis-parallel', 'extended']).default('axis-parallel'),
  'max-score-rows': z.coerce.number().int().min(1).optional(),
});

function main(): void {
  const a = parseCliArgs(argsSchema);
  const cols = a.cols;

  // Without files, generate seeded standard-normal data as the reference does (other numbers).
  const generated: string[] = [];
  let trainPath = a.train;
  let scorePath = a.score;
  if (!trainPath) {
    trainPath = join(tmpdir(), `bench-train-${process.pid}.f64`);
    scorePath = join(tmpdir(), `bench-score-${process.pid}.f64`);
    writeNormalF64(trainPath, a.rows, cols, a.seed);
    writeNormalF64(scorePath, a['score-rows'], cols, a.seed + 1);
    generated.push(trainPath, scorePath);
  }
  scorePath ??= trainPath;

  const train = readF64(trainPath);
  const trainRows = train.length / cols;
  const labels = a.labels ? new Uint8Array(readFileSync(a.labels)) : undefined;
  const options = { trees: a.trees, maxSamples: a['max-samples'], seed: a.seed, kind: a.kind };

  let fitSeconds = Infinity;
  let impl = createImplementation(a.impl, options);
  for (let rep = 0; rep < a.repeat; rep++) {
    const candidate = createImplementation(a.impl, options);
    const t0 = process.hrtime.bigint();
    candidate.fit(train, trainRows, cols);
    fitSeconds = Math.min(fitSeconds, Number(process.hrtime.bigint() - t0) / 1e9);
    impl = candidate;
  }

  let scoreSeconds = Infinity;
  let scoredRows = 0;
  let anomalies: Float64Array | undefined;
  let checksum = 0;
  for (let rep = 0; rep < a.repeat; rep++) {
    let elapsed = 0n;
    scoredRows = 0;
    const kept: number[] = [];
    for (const chunk of streamF64Rows(scorePath, cols, SCORE_CHUNK_ROWS, a['max-score-rows'])) {
      const t0 = process.hrtime.bigint();
      const scores = impl.anomaly(chunk.values, chunk.rows, cols);
      elapsed += process.hrtime.bigint() - t0;
      scoredRows += chunk.rows;
      checksum += scores[0]!;
      if (labels) for (let i = 0; i < chunk.rows; i++) kept.push(scores[i]!);
    }
    scoreSeconds = Math.min(scoreSeconds, Number(elapsed) / 1e9);
    if (labels) anomalies = Float64Array.from(kept);
  }

  const out: Record<string, number | string> = {
    impl: a.impl === 'dex-anomaly' && a.kind === 'extended' ? 'dex-anomaly (extended)' : a.impl,
    fit_rows: trainRows,
    score_rows: scoredRows,
    cols,
    trees: a.trees,
    fit_s: round6(fitSeconds),
    score_s: round6(scoreSeconds),
    score_rows_per_s: Math.round(scoredRows / scoreSeconds),
  };
  if (labels && anomalies) {
    const used = labels.subarray(0, anomalies.length);
    out.roc_auc = rocAuc(anomalies, used);
    out.average_precision = averagePrecision(anomalies, used);
  }
  out.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  if (!Number.isFinite(checksum)) throw new Error('non-finite scores');
  generated.forEach((p) => { unlinkSync(p); });
  console.log(JSON.stringify(out));
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

void runCli(() => {
  main();
  return Promise.resolve();
});
