/**
 * Structured JSON logs in Cloud Logging's shape (`severity`, `message`, then fields), one line
 * each. Secrets never reach here: callers log ids and counts, and `redact` masks known secrets.
 */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export interface Logger {
  log(severity: Severity, message: string, fields?: Readonly<Record<string, unknown>>): void;
  child(fields: Readonly<Record<string, unknown>>): Logger;
}

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), base: Readonly<Record<string, unknown>> = {}, secrets: readonly string[] = []): Logger {
  return {
    log(severity, message, fields = {}) {
      write(redact(JSON.stringify({ severity, message, ...base, ...fields }), secrets));
    },
    child(fields) {
      return jsonLogger(write, { ...base, ...fields }, secrets);
    },
  };
}

/** A logger that keeps lines in memory, for tests. */
export function memoryLogger(): Logger & { readonly lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = jsonLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return Object.assign(logger, { lines });
}

/** Replaces every occurrence of each secret (and its URL-encoded form) with '[redacted]'. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join('[redacted]').split(encodeURIComponent(secret)).join('[redacted]');
  }
  return out;
}

/** A logger that writes nothing (quiet inner steps of a command that reports for itself). */
export const silentLogger: Logger = {
  log: () => undefined,
  child: () => silentLogger,
};
