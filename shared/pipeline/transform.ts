import { compileDataform, runCompiledProject, type RunOptions, type TransformResult } from '../transform/run_dataform_locally';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * The transform use-case where no Dataform service runs (local runs, tests, benchmarks): exposes
 * the store's raw layer, compiles the Dataform project and runs it on the warehouse. In the cloud
 * Dataform itself runs the same project.
 */
export async function transformLocally(warehouse: Warehouse, storeUrl: string, projectDir: string, vars: Readonly<Record<string, string>> = {}, options: RunOptions = {}): Promise<TransformResult> {
  await warehouse.exposeRawLayer(storeUrl);
  return runCompiledProject(warehouse, compileDataform(projectDir, vars), options);
}
