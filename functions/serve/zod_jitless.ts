/**
 * Imported first by index.ts, before any module builds a zod schema (zod reads the setting as each
 * schema is built). zod compiles a fast path per object schema with new Function at its first
 * parse; an instance of this function parses each schema a handful of times (configuration, the
 * model file, error answers: a valid POST /score never reaches zod), so compiling cost more at
 * cold start than it ever saved. The answers are the same either way.
 */
import * as z from 'zod';

z.config({ jitless: true });
