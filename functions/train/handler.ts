import * as z from 'zod';
import { baseEnvShape, parseEnv, warehouseUrlVar, type Env } from '../../shared/config/env';
import { InvalidInputError } from '../../shared/errors';
import { jsonLogger, type Logger } from '../../shared/logging';
import { openObjectStore } from '../../shared/storage/open_store';
import { trainModel } from '../../shared/train/train_model';
import { envNameOf, parseTrainOptions, TRAIN_OPTION_KEYS, trainOptionsFromEnv } from '../../shared/train/train_options';
import { openWarehouse } from '../../shared/warehouse/open_warehouse';
import type { Warehouse } from '../../shared/warehouse/warehouse';
import { httpFunction, type HttpEntry } from '../_runtime/http_function';

/** Everything the train function reads from the environment; TRAIN_<OPTION> set a run's defaults. */
export const trainEnvSchema = z.object({
  DATA_STORE_URL: baseEnvShape.DATA_STORE_URL,
  WAREHOUSE: warehouseUrlVar,
  GOOGLE_CLOUD_PROJECT: baseEnvShape.GOOGLE_CLOUD_PROJECT,
  CODE_VERSION: z.string().min(1).optional(),
  ...Object.fromEntries(TRAIN_OPTION_KEYS.map((key) => [envNameOf(key), z.string().optional()])),
});

export interface TrainFunctionOverrides {
  readonly logger?: Logger;
  readonly now?: () => Date;
  readonly warehouse?: Warehouse;
}

/**
 * The train function (HTTP, called weekly by Cloud Scheduler): trains on the mart's window,
 * evaluates out of time, registers the version and promotes it only past the champion gate. A JSON
 * body may override any option of the run (`{"windowDays": 14}`); a bad option answers 400.
 */
export function createTrainFunction(env: Env, overrides: TrainFunctionOverrides = {}): HttpEntry {
  const e = parseEnv(trainEnvSchema, env);
  const defaults = trainOptionsFromEnv(env);
  parseTrainOptions(defaults); // a bad TRAIN_* variable fails the cold start, not the first run
  const store = openObjectStore(e.DATA_STORE_URL);
  const logger = overrides.logger ?? jsonLogger(undefined, { component: 'train' });
  const now = overrides.now ?? (() => new Date());
  let warehouse: Promise<Warehouse> | undefined;
  return httpFunction(
    'train',
    async (req, invocation) => {
      const body: unknown = req.body;
      if (body !== undefined && body !== null && body !== '' && (typeof body !== 'object' || Array.isArray(body))) throw new InvalidInputError('the request body must be a JSON object of training options, or empty');
      const options = parseTrainOptions({ ...defaults, ...(typeof body === 'object' && body !== null ? body : {}) });
      warehouse ??= overrides.warehouse ? Promise.resolve(overrides.warehouse) : openWarehouse(e.WAREHOUSE);
      const result = await trainModel({ warehouse: await warehouse, store, now, logger: invocation.logger, codeVersion: e.CODE_VERSION, triggeredBy: req.get('user-agent')?.includes('Google-Cloud-Scheduler') ? 'scheduler' : 'http' }, options);
      return { status: 200, body: result };
    },
    { logger, projectId: e.GOOGLE_CLOUD_PROJECT },
  );
}
