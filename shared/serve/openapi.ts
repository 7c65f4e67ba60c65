import * as z from 'zod';
import { errorBodySchema, healthSchema, scoreRequestSchema, scoreResponseSchema, storedHourResponseSchema, storedLatestResponseSchema } from './score_schema';

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 (what OpenAPI 3.1 uses) of a zod schema, without the $schema line. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

const json = (schema: JsonSchema, description: string) => ({ description, content: { 'application/json': { schema } } });

/**
 * The OpenAPI 3.1 document of the serve API, generated from the zod schemas that validate its
 * requests, for the model being served (its feature names are the request's properties).
 */
export function openApiDocument(featureNames: readonly string[], modelVersion: string | null, apiKeyRequired: boolean): JsonSchema {
  const error = schemaOf(errorBodySchema, 'output');
  const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), json(error, ERROR_TEXT[c] ?? 'error')]));
  const query = (name: string, required: boolean, description: string) => ({ name, in: 'query', required, schema: { type: 'string' }, description });
  return {
    openapi: '3.1.0',
    info: { title: 'dex-anomaly serve', version: modelVersion ?? 'no model loaded', description: 'Anomaly scores for DEX pool-hours from the production Isolation Forest.' },
    components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
    paths: {
      '/score': {
        post: {
          summary: 'Score rows of features with the production model',
          requestBody: { required: true, ...json(schemaOf(scoreRequestSchema(featureNames), 'input'), 'rows to score') },
          responses: { '200': { ...json(schemaOf(scoreResponseSchema, 'output'), 'one result per row'), headers: MODEL_HEADER }, ...errors(400, ...(apiKeyRequired ? [401] : []), 404, 405, 413, 415, 503) },
        },
        get: {
          summary: "A pool-hour's stored score, or without hour the pool's latest score and recent alerts",
          parameters: [query('source', true, 'source id, e.g. uniswap-v3-ethereum'), query('pool_id', true, 'pool address'), query('hour', false, 'whole UTC hour, e.g. 2026-11-24T07:00:00Z')],
          responses: {
            '200': { description: 'the stored score', content: { 'application/json': { schema: { oneOf: [schemaOf(storedHourResponseSchema, 'output'), schemaOf(storedLatestResponseSchema, 'output')] } } } },
            ...errors(400, ...(apiKeyRequired ? [401] : []), 404, 501, 503),
          },
        },
      },
      '/healthz': { get: { summary: 'Liveness and the model version served', security: [], responses: { '200': json(schemaOf(healthSchema, 'output'), 'serving') } } },
      '/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1 document' } } } },
    },
    security: apiKeyRequired ? [{ apiKey: [] }] : [],
  };
}

const MODEL_HEADER = { 'x-model-version': { description: 'version of the model that scored the rows', schema: { type: 'string' } } };

const ERROR_TEXT: Record<number, string> = {
  400: 'malformed JSON, wrong types, unknown or missing feature names, bad row count: each offending path in error.issues',
  401: 'missing or wrong x-api-key',
  404: 'unknown path, or no stored score',
  405: 'method not allowed on this path (see Allow)',
  413: 'body too large',
  415: 'content type is not application/json',
  501: 'stored scores are not configured (no WAREHOUSE)',
  503: 'the production model is not loaded yet, or the warehouse failed; retry',
};
