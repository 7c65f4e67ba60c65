/**
 * npm run train [-- --store data/lake --window-days 30 --eval-days 7 --seed 42 ...]
 *
 * One training run of the train use-case (the same one functions/train calls): reads the mart's
 * window, trains, evaluates against production, registers the version and promotes it if the
 * gate passes. Prints a table; `--format json` prints the run's JSON instead. Against the local
 * pipeline's data (`npm run local`), <store>/truth.json adds the simulator's ground truth.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { jsonLogger, silentLogger } from '../shared/logging';
import type { RankingMetrics } from '../shared/metrics/evaluation';
import { flagNameOf, parseTrainOptions, trainOptionsSchema, TRAIN_OPTION_KEYS } from '../shared/train/train_options';
import { trainModel, type TrainRunResult } from '../shared/train/train_model';
import { truthDetectionLines } from '../shared/train/truth_detection_text';
import { parseCliArgs, runCli } from './cli_args';
import { flagHelp, fmt, locationFlags, openStoreAndWarehouse, readSimulatorTruth } from './model_cli_env';

/** The training options as kebab-case flags (--window-days), each with its description and default. */
export const trainOptionFlags = Object.fromEntries(
  TRAIN_OPTION_KEYS.filter((k) => k !== 'modelName').map((k) => [flagNameOf(k), trainOptionsSchema.shape[k]]),
) as Record<string, z.ZodType>;

export const trainFlagsSchema = z.object({
  ...locationFlags,
  truth: z.string().optional().describe('simulator truth.json: adds the detection benchmark\'s figures on the evaluation days; default <store>/truth.json when present, none in the cloud'),
  format: z.enum(['table', 'json']).default('table').describe('table for people, json for machines'),
  'code-version': z.string().default(process.env.CODE_VERSION ?? 'local').describe('code version stored with the model'),
  ...trainOptionFlags,
});

function row(name: string, m: RankingMetrics): string {
  return `| ${name} | ${m.rows} | ${m.positives} | ${fmt(m.prAuc)} | ${fmt(m.rocAuc)} | ${fmt(m.precisionAt10)} | ${fmt(m.recallAt10)} | ${fmt(m.alertRate, 5)} |`;
}

export function renderTrainResult(r: TrainRunResult, where: string): string {
  const lines = [
    `model ${r.modelName} version ${r.version}: ${r.promoted ? 'PROMOTED' : 'not promoted'} (production before: ${r.productionBefore ?? 'none'})`,
    `reason: ${r.reason}`,
    `window ${r.window.start} .. ${r.window.end}, evaluation from ${r.window.evalStart}; rows: ${r.rows.train} sampled for training of ${r.rows.trainWindow}, ${r.rows.evaluation} evaluated of ${r.rows.evalWindow}`,
    `alert threshold (anomaly score): ${r.threshold.toFixed(6)}`,
    '',
    '| model / source | rows | y=1 | PR-AUC | ROC-AUC | P@10 | R@10 | alert rate |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    row('new: all', r.metrics.overall),
    ...Object.entries(r.metrics.bySource).map(([s, m]) => row(`new: ${s}`, m)),
    ...(r.productionMetrics ? [row('production: all', r.productionMetrics.overall)] : []),
    ...(r.groundTruth ? [row('new vs ground truth', r.groundTruth.overall)] : []),
    '',
    ...truthDetectionLines(r.truthDetection),
    '',
    `files: ${where}/models/${r.modelName}/${r.version}/ (model.json, metrics.json, metadata.json); run recorded in dex_ops.model_runs`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(`npm run train -- [flags]\n  one training run: read the window, train, evaluate against production, register, promote if not worse\n${flagHelp(trainFlagsSchema.shape)}`);
    return;
  }
  const a = parseCliArgs(trainFlagsSchema);
  const options = parseTrainOptions({ modelName: a.model, ...Object.fromEntries(TRAIN_OPTION_KEYS.filter((k) => k !== 'modelName').map((k) => [k, (a as Record<string, unknown>)[flagNameOf(k)]])) });
  const { store, warehouse } = await openStoreAndWarehouse(a);
  try {
    const truth = readSimulatorTruth(a.truth ?? join(a.store, 'truth.json'), a.truth !== undefined);
    const logger = a.format === 'json' ? silentLogger : jsonLogger((line) => process.stderr.write(`${line}\n`), { component: 'train' });
    const result = await trainModel({ warehouse, store, now: () => new Date(), logger, codeVersion: a['code-version'], groundTruth: truth, triggeredBy: `cli:${process.env.USER ?? userInfo().username}` }, options);
    console.log(a.format === 'json' ? JSON.stringify(result) : renderTrainResult(result, store.url));
  } finally {
    await warehouse.close();
  }
}

if (require.main === module) {
  void runCli(main);
}
