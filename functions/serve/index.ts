/**
 * Cloud Function `serve` (HTTPS, IAM invokers only): POST /score scores rows with the production
 * model, GET /score reads stored scores, GET /healthz, GET /openapi.json.
 */
import * as ff from '@google-cloud/functions-framework';
import { createServeFunction } from './handler';

ff.http('serve', createServeFunction(process.env));
