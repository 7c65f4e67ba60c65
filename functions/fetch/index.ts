/**
 * Cloud Function `fetch` (HTTP, called hourly by Cloud Scheduler): pulls every missing complete
 * hour of each configured subgraph into the raw layer. Configuration: shared/fetch/fetch_config.ts.
 */
import * as ff from '@google-cloud/functions-framework';
import { createFetchFunction } from './handler';

ff.http('fetch', createFetchFunction(process.env));
