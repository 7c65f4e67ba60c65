/**
 * Cloud Function `load` (CloudEvent from Eventarc when an object is finalized in the raw bucket):
 * for an hour's manifest, checks it against its objects, makes raw/ queryable through the
 * external table and records the ingestion in dex_ops.ingestion_log.
 */
import * as ff from '@google-cloud/functions-framework';
import { createLoadHandler } from '../../shared/load/load_handler';

const handle = createLoadHandler(process.env);
ff.cloudEvent('load', async (event: ff.CloudEvent<unknown>) => {
  await handle(event);
});
