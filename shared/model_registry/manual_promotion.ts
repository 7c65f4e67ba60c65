import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../errors';
import type { Logger } from '../logging';
import type { ObjectStore } from '../storage/object_store';
import type { Warehouse } from '../warehouse/warehouse';
import { recordModelRun } from './record_run';
import { openRegistry } from './registry';
import { truthColumns, type ModelRunAction } from './model_runs_table';

export interface ManualDeps {
  readonly store: ObjectStore;
  readonly warehouse: Warehouse;
  now(): Date;
  readonly logger: Logger;
}

export interface ManualRequest {
  readonly modelName: string;
  /** Who asks (a person's name or e-mail): recorded in the alias and in model_runs. */
  readonly by: string;
  readonly reason: string;
}

function requireWho(request: ManualRequest): void {
  if (request.by.trim() === '') throw new InvalidInputError("'by' is required: who promotes by hand");
  if (request.reason.trim() === '') throw new InvalidInputError("'reason' is required: why production changes by hand");
}

async function record(deps: ManualDeps, request: ManualRequest, action: ModelRunAction, version: string, before: string | null): Promise<void> {
  const stored = await openRegistry(deps.store, request.modelName).readVersion(version);
  const o = stored.metrics.challenger.overall;
  const m = stored.metadata;
  await recordModelRun(deps.warehouse, {
    run_id: randomUUID(), run_at: deps.now().toISOString(), action, model_name: request.modelName, version, promoted: true,
    decision_reason: `${action} by hand: ${request.reason}`, triggered_by: request.by, production_before: before,
    window_start: m.window.start, eval_start: m.window.evalStart, window_end: m.window.end, train_rows: m.rowCounts.trainRows, eval_rows: m.rowCounts.evalRows,
    pr_auc: o.prAuc, roc_auc: o.rocAuc, precision_at_10: o.precisionAt10, recall_at_10: o.recallAt10, alert_rate: o.alertRate, target_alert_rate: m.threshold.targetAlertRate,
    production_pr_auc: null, production_alert_rate: null, metrics: JSON.stringify(stored.metrics), code_version: m.codeVersion,
    ...truthColumns(stored.metrics.truthDetection),
  });
}

/** Makes `version` production by hand (who and why recorded); fails if production moves meanwhile. */
export async function promoteByHand(deps: ManualDeps, request: ManualRequest & { readonly version: string }): Promise<{ before: string | null }> {
  requireWho(request);
  const registry = openRegistry(deps.store, request.modelName);
  const alias = await registry.productionAlias();
  await registry.promote(request.version, { expectedGeneration: alias.generation, by: request.by, reason: request.reason, now: deps.now() });
  await record(deps, request, 'promote', request.version, alias.record?.version ?? null);
  deps.logger.log('INFO', 'promoted by hand', { modelName: request.modelName, version: request.version, before: alias.record?.version ?? null, by: request.by });
  return { before: alias.record?.version ?? null };
}

/** Puts back the production version before the current one (who and why recorded). */
export async function rollbackByHand(deps: ManualDeps, request: ManualRequest): Promise<{ before: string; after: string }> {
  requireWho(request);
  const registry = openRegistry(deps.store, request.modelName);
  const alias = await registry.productionAlias();
  const { version } = await registry.rollback({ expectedGeneration: alias.generation, by: request.by, reason: request.reason, now: deps.now() });
  const before = alias.record!.version;
  await record(deps, request, 'rollback', version, before);
  deps.logger.log('INFO', 'rolled back by hand', { modelName: request.modelName, from: before, to: version, by: request.by });
  return { before, after: version };
}
