import * as z from 'zod';

/** What one fetched hour wrote; the load step checks objects against it before trusting them. */
export const hourManifestSchema = z
  .object({
    schema_version: z.literal(1),
    source: z.string(),
    dex: z.string(),
    chain: z.string(),
    kind: z.string(),
    hour_start: z.iso.datetime(),
    hour_start_unix: z.number().int(),
    rows: z.number().int().min(0),
    quarantined_rows: z.number().int().min(0),
    duplicate_rows: z.number().int().min(0),
    block_number: z.number().int(),
    block_timestamp: z.number().int(),
    block_hash: z.string(),
    has_indexing_errors: z.boolean(),
    pages: z.number().int().min(1),
    fetched_at: z.iso.datetime(),
    objects: z.array(
      z.object({
        role: z.enum(['data', 'quarantine']),
        key: z.string(),
        generation: z.string(),
        size: z.number().int().min(0),
        rows: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    ),
  })
  .strict();

export type HourManifest = z.infer<typeof hourManifestSchema>;
