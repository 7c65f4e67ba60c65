/**
 * Cloud Function `load` (CloudEvent from Eventarc when an object is finalized in the raw bucket):
 * for an hour's manifest, checks it against its objects, makes raw/ queryable through the
 * external table and records the ingestion in dex_ops.ingestion_log.
 */
import * as ff from '@google-cloud/functions-framework';
import { createLoadFunction } from './handler';

ff.cloudEvent('load', createLoadFunction(process.env));
