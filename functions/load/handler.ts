import type { CloudEvent } from '@google-cloud/functions-framework';
import * as z from 'zod';
import { baseEnvShape, parseEnv, warehouseUrlVar, type Env } from '../../shared/config/env';
import { InvalidInputError } from '../../shared/errors';
import { jsonLogger, type Logger } from '../../shared/logging';
import { recordDeadLetter } from '../../shared/ops/dead_letters';
import { createObjectLoader } from '../../shared/pipeline/load_objects';
import { openObjectStore } from '../../shared/storage/open_store';
import { openWarehouse } from '../../shared/warehouse/open_warehouse';
import type { Warehouse } from '../../shared/warehouse/warehouse';
import { parseOrThrow } from '../../shared/validation';
import { freshnessLogLine, logOps } from '../../shared/ops/ops_log';
import { cloudEventFunction } from '../_runtime/cloud_event_function';

/** Everything the load function reads from the environment. */
export const loadEnvSchema = z.object({
  DATA_STORE_URL: baseEnvShape.DATA_STORE_URL,
  WAREHOUSE: warehouseUrlVar,
  GOOGLE_CLOUD_PROJECT: baseEnvShape.GOOGLE_CLOUD_PROJECT,
});

/** The GCS finalize event's payload (Eventarc, google.cloud.storage.object.v1.finalized). */
const storageObjectSchema = z.object({ bucket: z.string().optional(), name: z.string().min(1) });

/**
 * The same object announced by a Cloud Storage Pub/Sub notification (what terraform deploys, so
 * that only manifests/ fire the function): the message's attributes name the bucket and object.
 */
const pubsubNotificationSchema = z.object({ message: z.object({ attributes: z.object({ bucketId: z.string(), objectId: z.string().min(1) }) }) });

function storageObjectOf(data: unknown): { bucket?: string | undefined; name: string } {
  const pubsub = pubsubNotificationSchema.safeParse(data);
  if (pubsub.success) return { bucket: pubsub.data.message.attributes.bucketId, name: pubsub.data.message.attributes.objectId };
  return parseOrThrow(storageObjectSchema, data, 'malformed storage event: data', (m) => new InvalidInputError(m));
}

export interface LoadFunctionOverrides {
  readonly logger?: Logger;
  readonly now?: () => Date;
  readonly warehouse?: Warehouse;
}

/**
 * The load function (CloudEvent from Eventarc when an object is finalized in the raw bucket),
 * built once per instance: configuration is checked at cold start; the warehouse opens on the
 * first event. A manifest is loaded, anything else ignored. Permanent failures (a malformed
 * event, a corrupt object) are acknowledged and recorded in dex_ops.dead_letters.
 */
export function createLoadFunction(env: Env, overrides: LoadFunctionOverrides = {}): (event: CloudEvent<unknown>) => Promise<void> {
  const e = parseEnv(loadEnvSchema, env);
  const store = openObjectStore(e.DATA_STORE_URL);
  const logger = overrides.logger ?? jsonLogger(undefined, { component: 'load' });
  const now = overrides.now ?? (() => new Date());
  let warehouse: Promise<Warehouse> | undefined;
  const openOnce = () =>
    (warehouse ??= (overrides.warehouse ? Promise.resolve(overrides.warehouse) : openWarehouse(e.WAREHOUSE)).catch((err: unknown) => {
      warehouse = undefined;
      throw err;
    }));
  let loader: ReturnType<typeof createObjectLoader> | undefined;
  return cloudEventFunction(
    'load',
    async (event, invocation) => {
      const object = storageObjectOf(event.data);
      // Most objects are data files: acknowledged without touching the warehouse.
      if (!object.name.endsWith('/manifest.json')) return { status: 'ignored', key: object.name };
      const wh = await openOnce();
      loader ??= createObjectLoader({ store, storeUrl: e.DATA_STORE_URL, warehouse: wh, logger, now });
      const result = await loader(object.name, invocation.logger);
      if (result.status === 'loaded') logOps(invocation.logger, freshnessLogLine('loaded', result.source, Date.parse(result.hour) / 1000, now()));
      return { ...result };
    },
    { logger, projectId: e.GOOGLE_CLOUD_PROJECT, now, recordDeadLetter: async (letter) => recordDeadLetter(await openOnce(), letter) },
  );
}
