import type { z } from 'zod';
import type { ErrorKind } from '../errors';

/** What the serve API answers; the function writes it as JSON. */
export interface ServeAnswer {
  readonly status: number;
  readonly body: unknown;
  /** The body already written as JSON text (the hot path's own writer); sent as is when present. */
  readonly bodyJson?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * An answer whose body is JSON text already: the function sends the text, and `body` parses it
 * only for a caller that reads the value (tests, in-process callers). A class, so each answer is
 * one plain object (the getter lives on the prototype): it is built once per scored request.
 */
class JsonTextAnswer implements ServeAnswer {
  constructor(
    readonly status: number,
    readonly bodyJson: string,
    readonly headers: Readonly<Record<string, string>> | undefined,
  ) {}

  get body(): unknown {
    return JSON.parse(this.bodyJson) as unknown;
  }
}

export function jsonTextAnswer(status: number, bodyJson: string, headers?: Readonly<Record<string, string>>): ServeAnswer {
  return new JsonTextAnswer(status, bodyJson, headers);
}

/** One offending place in a request: a dotted path and what is wrong there. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** Issues listed in a 400 body; the message says how many more there were. */
export const MAX_LISTED_ISSUES = 100;

/** zod issues as paths and messages; an unknown key becomes an issue at that key's own path. */
export function issuesOf(error: z.ZodError): Issue[] {
  const out: Issue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: path ? `${path}.${key}` : key, message: 'unknown name' });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** The error body every function answers with (see functions/_runtime/error_body.ts), plus issues. */
export function errorAnswer(status: number, kind: ErrorKind, message: string, options: { retryable?: boolean; headers?: Record<string, string>; issues?: readonly Issue[] } = {}): ServeAnswer {
  const error: Record<string, unknown> = { kind, message, retryable: options.retryable ?? false };
  if (options.issues) error.issues = options.issues;
  return { status, body: { error }, ...(options.headers ? { headers: options.headers } : {}) };
}

/** 400 naming every offending path (the first MAX_LISTED_ISSUES of them). */
export function invalidRequest(what: string, issues: readonly Issue[]): ServeAnswer {
  const listed = issues.slice(0, MAX_LISTED_ISSUES);
  const more = issues.length > listed.length ? `; and ${issues.length - listed.length} more` : '';
  const message = `invalid ${what}: ${listed.map((i) => `${i.path || '(whole)'}: ${i.message}`).join('; ')}${more}`;
  return errorAnswer(400, 'invalid_input', message, { issues: listed });
}

/** Why a body is refused as too large: the API's 413 and the check before the body is read say the same. */
export function bodyTooLargeMessage(bytes: number, maxBodyBytes: number): string {
  return `body of ${bytes} bytes exceeds the limit of ${maxBodyBytes} bytes; send fewer rows per request`;
}
