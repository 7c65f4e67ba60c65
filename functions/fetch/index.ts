/**
 * Cloud Function `fetch` (HTTP, called hourly by Cloud Scheduler): pulls every missing complete
 * hour of each configured subgraph into the raw layer. Configuration comes from the environment
 * (see shared/fetch/fetch_config.ts); a bad configuration fails the instance at start-up.
 */
import * as ff from '@google-cloud/functions-framework';
import { createFetchHandler } from '../../shared/fetch/fetch_handler';

ff.http('fetch', createFetchHandler(process.env));
