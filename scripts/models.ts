/**
 * npm run models -- list | show <version> | promote <version> | rollback | import <file> [--help]
 *
 * Operates the model registry: lists versions with their figures, shows one, moves production by
 * hand (who and why recorded in the alias and in dex_ops.model_runs), and imports a scikit-learn
 * forest exported by scripts/export_sklearn_model.py as a version (evaluated, never promoted).
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import * as z from 'zod';
import { InvalidInputError } from '../shared/errors';
import { jsonLogger } from '../shared/logging';
import { promoteByHand, rollbackByHand } from '../shared/model_registry/manual_promotion';
import { openRegistry } from '../shared/model_registry/registry';
import { importSklearnModel } from '../shared/train/import_sklearn_model';
import { flagNameOf, parseTrainOptions, TRAIN_OPTION_KEYS } from '../shared/train/train_options';
import { parseCliArgs, runCli } from './cli_args';
import { flagHelp, fmt, locationFlags, openStoreAndWarehouse } from './model_cli_env';
import { renderTrainResult, trainOptionFlags } from './train';

const who = {
  by: z.string().min(1).default(process.env.USER ?? userInfo().username).describe('who changes production (recorded)'),
  reason: z.string().min(1, 'say why production changes').describe('why (recorded)'),
};

const COMMANDS = {
  list: { args: '', about: 'versions, oldest first, with their evaluation and which is production', flags: z.object({ ...locationFlags }) },
  show: { args: '<version>', about: "a version's metadata and metrics as JSON", flags: z.object({ ...locationFlags }) },
  promote: { args: '<version>', about: 'make a version production by hand', flags: z.object({ ...locationFlags, ...who }) },
  rollback: { args: '', about: 'put back the production version before the current one', flags: z.object({ ...locationFlags, ...who }) },
  import: {
    args: '<file>',
    about: 'register a scikit-learn export (scripts/export_sklearn_model.py) as a version, evaluated on the current window, not promoted',
    flags: z.object({ ...locationFlags, features: z.string().optional().describe("comma-separated feature names in fitting order (when the export has no feature_names)"), ...trainOptionFlags }),
  },
} as const;
type Command = keyof typeof COMMANDS;

function usage(): string {
  const blocks = Object.entries(COMMANDS).map(([name, c]) => `npm run models -- ${name} ${c.args}\n  ${c.about}\n${flagHelp(c.flags.shape)}`);
  return `Operate the model registry.\n\n${blocks.join('\n\n')}`;
}

async function run(command: Command, positional: string | undefined, rest: string[]): Promise<void> {
  const needs = COMMANDS[command].args;
  if (needs && !positional) throw new InvalidInputError(`${command} needs ${needs}: npm run models -- ${command} ${needs}`);
  const a = parseCliArgs(COMMANDS[command].flags, rest) as z.infer<(typeof COMMANDS)['import']['flags']> & { by: string; reason: string };
  const { store, warehouse } = await openStoreAndWarehouse(a);
  const logger = jsonLogger((line) => process.stderr.write(`${line}\n`), { component: 'models' });
  const deps = { store, warehouse, now: () => new Date(), logger };
  try {
    const registry = openRegistry(store, a.model);
    if (command === 'list') {
      const [versions, alias] = await Promise.all([registry.listVersions(), registry.productionAlias()]);
      console.log('| version | origin | production | train rows | threshold | PR-AUC | ROC-AUC | P@10 | alert rate |\n|---|---|---|--:|--:|--:|--:|--:|--:|');
      for (const v of versions) {
        const o = (await registry.readVersion(v.version)).metrics.challenger.overall;
        console.log(`| ${v.version} | ${v.origin} | ${alias.record?.version === v.version ? 'yes' : ''} | ${v.rowCounts.trainRows} | ${v.threshold.value.toFixed(6)} | ${fmt(o.prAuc)} | ${fmt(o.rocAuc)} | ${fmt(o.precisionAt10)} | ${fmt(o.alertRate, 5)} |`);
      }
      console.log(`${versions.length} versions of ${a.model} in ${store.url}; production: ${alias.record ? `${alias.record.version} (by ${alias.record.by}: ${alias.record.reason})` : 'none'}`);
    } else if (command === 'show') {
      const v = await registry.readVersion(positional!);
      console.log(JSON.stringify({ metadata: v.metadata, metrics: v.metrics }, null, 2));
    } else if (command === 'promote') {
      const { before } = await promoteByHand(deps, { modelName: a.model, version: positional!, by: a.by, reason: a.reason });
      console.log(`production of ${a.model}: ${before ?? 'none'} -> ${positional!} (by ${a.by})`);
    } else if (command === 'rollback') {
      const { before, after } = await rollbackByHand(deps, { modelName: a.model, by: a.by, reason: a.reason });
      console.log(`production of ${a.model}: ${before} -> ${after} (rolled back by ${a.by})`);
    } else {
      const options = parseTrainOptions({ modelName: a.model, ...Object.fromEntries(TRAIN_OPTION_KEYS.filter((k) => k !== 'modelName').map((k) => [k, (a as Record<string, unknown>)[flagNameOf(k)]])) });
      const features = a.features?.split(',').map((s) => s.trim());
      const result = await importSklearnModel({ ...deps, triggeredBy: `cli:${process.env.USER ?? userInfo().username}` }, JSON.parse(readFileSync(positional!, 'utf8')), features, options);
      console.log(renderTrainResult(result, store.url));
      console.log(`to make it production: npm run models -- promote ${result.version} --reason "..."`);
    }
  } finally {
    await warehouse.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...more] = argv;
  if (command === undefined || command === 'help' || command === '--help' || more.includes('--help')) {
    console.log(usage());
    return;
  }
  if (!(command in COMMANDS)) throw new InvalidInputError(`unknown command '${command}'; commands: ${Object.keys(COMMANDS).join(', ')} (--help for flags)`);
  const positional = more[0] !== undefined && !more[0].startsWith('--') ? more[0] : undefined;
  await run(command as Command, positional, positional === undefined ? more : more.slice(1));
}

void runCli(() => main(process.argv.slice(2)));
