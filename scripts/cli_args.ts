import { parseArgs } from 'node:util';
import type { z } from 'zod';

/**
 * Parses `--name value` flags with a zod object schema (every flag a string on the command line,
 * coerced by the schema). A bad flag prints one line naming it and exits with status 2.
 */
export function parseCliArgs<S extends z.ZodObject>(schema: S, argv: string[] = process.argv.slice(2)): z.output<S> {
  const { values } = parseArgs({ args: argv, options: Object.fromEntries(Object.keys(schema.shape).map((k) => [k, { type: 'string' as const }])) });
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    console.error(`--${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  return parsed.data;
}
