import type { z } from 'zod';

/** One zod issue in words: `<path>: <message>`, or the message alone when the path is empty. */
export function describeIssue(issue: z.core.$ZodIssue, label: (path: string) => string = (p) => `'${p}'`): string {
  const path = issue.path.map(String).join('.');
  return path.length === 0 ? `: ${issue.message}` : ` ${label(path)}: ${issue.message}`;
}

/**
 * Parses `input` with `schema`; on failure throws `makeError` with every issue in words, each
 * prefixed by `what` ("invalid configuration DATA_STORE_URL: ...", "invalid DEX_SOURCES at
 * '0.id': ..."). The one place that turns zod issues into the project's error classes.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string, makeError: (message: string) => Error, label?: (path: string) => string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw makeError(parsed.error.issues.map((i) => `${what}${describeIssue(i, label)}`).join('; '));
}
