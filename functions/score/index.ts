/**
 * Cloud Function `score` (HTTP, called hourly by Cloud Scheduler after fetch and the Dataform
 * run): scores the newest hour with the production model into pool_scores and delivers alerts.
 */
import * as ff from '@google-cloud/functions-framework';
import { createScoreFunction } from './handler';

ff.http('score', createScoreFunction(process.env));
