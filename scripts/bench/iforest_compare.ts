/**
 * npm run bench:iforest:compare [-- --quick]
 *
 * Side-by-side figures on identical data: scikit-learn's reference script
 * (../shared/bench/sklearn_iforest_bench.py, Debian's python3-sklearn), this project's forest
 * and the npm packages isolation-forest and ml-isolation-forest, each in its own process.
 *  1. speed: fit 100k x 8, score 1M x 8 (standard normal), 100 trees, 256 samples;
 *  2. memory: peak RSS scoring 1M and 5M rows (flat when scoring streams in chunks);
 *  3. quality: ROC-AUC and average precision on the labelled ODDS sets in ../shared (or a
 *     synthetic labelled set without it), averaged over seeds 0-4.
 * Writes bench-out/iforest/results.{json,md} and prints the table.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { Rng } from '../../shared/rng';
import { parseCliArgsOrExit, runCli } from '../cli_args';

const REPO = resolve(__dirname, '..', '..');
const SHARED = process.env.DEX_SHARED_DIR ?? resolve(REPO, '..', 'shared');
const SKLEARN_BENCH = join(SHARED, 'bench', 'sklearn_iforest_bench.py');
const ODDS_DIR = join(SHARED, 'datasets', 'odds');
const OUT = join(REPO, 'bench-out', 'iforest');
const PYTHON = '/usr/bin/python3';
const args = parseCliArgsOrExit(z.object({ quick: z.boolean().default(false).describe('one seed instead of five') }), process.argv.slice(2), {
  usage: 'npm run bench:iforest:compare -- [--quick]',
  summary: 'Fit/score speed, memory and ODDS ROC-AUC of dex-anomaly against scikit-learn and two npm packages, on the same files.',
});
const quick = args.quick;
const SEEDS = quick ? [0] : [0, 1, 2, 3, 4];

type Row = Record<string, number | string>;

function sklearnAvailable(): boolean {
  if (!existsSync(SKLEARN_BENCH) || !existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
}

function runSklearn(args: string[]): Row {
  // Run the reference as a child of a tiny wrapper that reports the child's peak RSS.
  const wrapper = 'import resource,subprocess,sys\nr=subprocess.run(sys.argv[1:],capture_output=True,text=True,check=True)\nprint(r.stdout.strip())\nprint(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)';
  const [json, rssKb] = execFileSync(PYTHON, ['-c', wrapper, PYTHON, SKLEARN_BENCH, ...args], { encoding: 'utf8' }).trim().split('\n');
  return { ...(JSON.parse(json!) as Row), peak_rss_mb: Math.round(Number(rssKb) / 1024) };
}

function runOurs(args: string[]): Row {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'bench', 'iforest.ts'), ...args], { encoding: 'utf8', cwd: REPO, maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop()!) as Row;
}

function ensureNormalFile(path: string, rows: number, cols: number, seed: number): void {
  if (existsSync(path) && statSync(path).size === rows * cols * 8) return;
  execFileSync(process.execPath, ['--import', 'tsx', '-e', `require(${JSON.stringify(join(REPO, 'scripts', 'bench', 'raw_f64.ts'))}).writeNormalF64(${JSON.stringify(path)}, ${rows}, ${cols}, ${seed})`], { cwd: REPO });
}

interface LabelledSet {
  name: string;
  xPath: string;
  labelsPath: string;
  cols: number;
  rows: number;
}

/** ODDS CSVs as raw float64 + label bytes; a synthetic set when ../shared is absent. */
function labelledSets(): LabelledSet[] {
  const sets: LabelledSet[] = [];
  const names = existsSync(ODDS_DIR) ? ['shuttle', 'smtp', 'mammography', 'annthyroid', 'satellite', 'cardio', 'thyroid', 'arrhythmia', 'ionosphere', 'breastw', 'pima'] : [];
  for (const name of quick ? names.slice(0, 3) : names) {
    const xPath = join(OUT, `${name}.f64`);
    const labelsPath = join(OUT, `${name}.labels.u8`);
    const code = `const h=require(${JSON.stringify(join(REPO, 'test', 'helpers', 'odds.ts'))});const fs=require('fs');const d=h.loadOdds(${JSON.stringify(name)});fs.writeFileSync(${JSON.stringify(xPath)},new Uint8Array(d.values.buffer));fs.writeFileSync(${JSON.stringify(labelsPath)},d.labels);console.log(d.rows+' '+d.cols)`;
    const [rows, cols] = execFileSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', cwd: REPO }).trim().split(' ').map(Number);
    sets.push({ name: `odds/${name}`, xPath, labelsPath, rows: rows!, cols: cols! });
  }
  if (sets.length === 0) {
    // 50,000 standard-normal rows in 8 dimensions plus 500 uniform outliers in [-6, 6]^8.
    const rng = new Rng(42);
    const rows = 50_500;
    const cols = 8;
    const x = new Float64Array(rows * cols);
    const labels = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      labels[r] = r >= 50_000 ? 1 : 0;
      for (let c = 0; c < cols; c++) x[r * cols + c] = labels[r] ? rng.nextFloat() * 12 - 6 : rng.nextNormal();
    }
    const xPath = join(OUT, 'synthetic.f64');
    const labelsPath = join(OUT, 'synthetic.labels.u8');
    writeFileSync(xPath, new Uint8Array(x.buffer));
    writeFileSync(labelsPath, labels);
    sets.push({ name: 'synthetic (gaussian + 1% uniform)', xPath, labelsPath, rows, cols });
  }
  return sets;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function fmt(v: number | string | undefined, digits = 3): string {
  if (v === undefined) return '-';
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : v;
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const haveSklearn = sklearnAvailable();
  if (!haveSklearn) console.warn('scikit-learn reference not run: needs ../shared/bench and Debian python3-sklearn (apt-get install -y python3-sklearn)');
  const md: string[] = [];
  const results: Record<string, unknown> = { machine: `${process.platform} ${process.arch}, node ${process.version}` };

  // 1. Speed on the issue's task.
  const train = join(OUT, 'train_100k_x8.f64');
  const score = join(OUT, 'score_1m_x8.f64');
  ensureNormalFile(train, 100_000, 8, 0);
  ensureNormalFile(score, 1_000_000, 8, 1);
  const common = ['--train', train, '--score', score, '--cols', '8', '--trees', '100', '--max-samples', '256', '--seed', '0'];
  const speed: Row[] = [];
  if (haveSklearn) speed.push(runSklearn([...common, '--repeat', '3']));
  speed.push(runOurs([...common, '--repeat', '3']));
  speed.push(runOurs([...common, '--repeat', '3', '--kind', 'extended']));
  // The npm packages grow every tree on all 100k rows and score slowly: one repetition, 100k rows.
  speed.push(runOurs([...common, '--repeat', '1', '--impl', 'isolation-forest', '--max-score-rows', '100000']));
  speed.push(runOurs([...common, '--repeat', '1', '--impl', 'ml-isolation-forest', '--max-score-rows', '100000']));
  const ref = speed.find((r) => r.impl === 'scikit-learn');
  md.push('### Fit 100k x 8, score 1M x 8, 100 trees, 256 samples, one thread', '');
  md.push('| implementation | fit s | score s | rows scored | score rows/s | fit speed vs sklearn | score speed vs sklearn | peak RSS MB |', '|---|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of speed) {
    const fitRatio = ref ? Number(ref.fit_s) / Number(r.fit_s) : undefined;
    const scoreRatio = ref ? Number(r.score_rows_per_s) / Number(ref.score_rows_per_s) : undefined;
    md.push(`| ${fmt(r.impl)} | ${fmt(r.fit_s, 4)} | ${fmt(r.score_s, 3)} | ${fmt(r.score_rows)} | ${fmt(r.score_rows_per_s)} | ${fitRatio ? `${fitRatio.toFixed(2)}x` : '-'} | ${scoreRatio ? `${scoreRatio.toFixed(2)}x` : '-'} | ${fmt(r.peak_rss_mb)} |`);
  }
  results.speed = speed;

  // 2. Memory against the number of rows scored.
  const big = join(OUT, 'score_5m_x8.f64');
  ensureNormalFile(big, 5_000_000, 8, 2);
  const memory = [runOurs([...common, '--repeat', '1']), runOurs([...common.map((a) => (a === score ? big : a)), '--repeat', '1'])];
  md.push('', '### Peak memory against rows scored (dex-anomaly, streaming in chunks)', '', '| rows scored | peak RSS MB | score rows/s |', '|--:|--:|--:|');
  for (const r of memory) md.push(`| ${fmt(r.score_rows)} | ${fmt(r.peak_rss_mb)} | ${fmt(r.score_rows_per_s)} |`);
  results.memory = memory;

  // 3. Quality on labelled sets, averaged over seeds.
  md.push('', `### ROC-AUC / average precision on labelled sets (fit and score all rows, mean of seeds ${SEEDS.join(',')})`, '');
  md.push('| set | rows x cols | sklearn AUC | dex-anomaly AUC | gap | dex-anomaly extended AUC | isolation-forest AUC | ml-isolation-forest AUC | sklearn AP | dex-anomaly AP |', '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  const quality: Record<string, unknown>[] = [];
  const gaps: number[] = [];
  for (const set of labelledSets()) {
    const args = (seed: number) => ['--train', set.xPath, '--cols', String(set.cols), '--labels', set.labelsPath, '--trees', '100', '--max-samples', 'auto', '--seed', String(seed), '--repeat', '1'];
    const collect = (run: (seed: number) => Row) => {
      const rows = SEEDS.map(run);
      return { auc: mean(rows.map((r) => Number(r.roc_auc))), ap: mean(rows.map((r) => Number(r.average_precision))) };
    };
    const sk = haveSklearn ? collect((s) => runSklearn(args(s))) : undefined;
    const ours = collect((s) => runOurs(args(s)));
    const ext = collect((s) => runOurs([...args(s), '--kind', 'extended']));
    // The npm packages cannot be seeded (Math.random); repeated runs still average their noise.
    const small = set.rows <= 20_000;
    const npm1 = small ? collect((s) => runOurs([...args(s), '--impl', 'isolation-forest'])) : undefined;
    const npm2 = small ? collect((s) => runOurs([...args(s), '--impl', 'ml-isolation-forest'])) : undefined;
    const gap = sk ? ours.auc - sk.auc : undefined;
    if (gap !== undefined) gaps.push(gap);
    quality.push({ set: set.name, rows: set.rows, cols: set.cols, sklearn: sk, dexAnomaly: ours, extended: ext, isolationForest: npm1, mlIsolationForest: npm2 });
    md.push(`| ${set.name} | ${set.rows} x ${set.cols} | ${fmt(sk?.auc, 4)} | ${fmt(ours.auc, 4)} | ${gap === undefined ? '-' : (gap >= 0 ? '+' : '') + gap.toFixed(4)} | ${fmt(ext.auc, 4)} | ${fmt(npm1?.auc, 4)} | ${fmt(npm2?.auc, 4)} | ${fmt(sk?.ap, 4)} | ${fmt(ours.ap, 4)} |`);
    console.error(`done ${set.name}`);
  }
  if (gaps.length > 0) md.push('', `Mean AUC gap dex-anomaly - sklearn over ${gaps.length} sets: ${mean(gaps) >= 0 ? '+' : ''}${mean(gaps).toFixed(4)}; largest |gap| ${Math.max(...gaps.map(Math.abs)).toFixed(4)}. npm packages run on sets up to 20k rows (they grow each tree on every row).`);
  results.quality = quality;

  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2));
  writeFileSync(join(OUT, 'results.md'), md.join('\n') + '\n');
  console.log(md.join('\n'));
}

void runCli(() => {
  main();
  return Promise.resolve();
});
