/**
 * Cloud Function `serve` (HTTPS, IAM invokers only): POST /score scores rows with the production
 * model, GET /score reads stored scores, GET /healthz, GET /openapi.json.
 */
// First: it configures zod before any schema is built.
import './zod_jitless';
import * as ff from '@google-cloud/functions-framework';
import { jsonLogger } from '../../shared/logging';
import { answerFrameworkErrorsAsJson } from '../_runtime/framework_errors';
import { createServeFunction, serveRequestGuard } from './handler';

answerFrameworkErrorsAsJson(jsonLogger(undefined, { component: 'serve', function: 'serve' }), 'serve', serveRequestGuard(process.env));
ff.http('serve', createServeFunction(process.env));
