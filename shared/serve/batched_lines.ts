/** Lines gathered before one write; past this many characters they are written at once. */
const MAX_PENDING_CHARS = 64 * 1024;

export interface BatchedLineWriter {
  /** Queues one line (without its newline); it is written by the next flush. */
  readonly writeLine: (line: string) => void;
  /** Writes every queued line, in order, with one call. */
  readonly flush: () => void;
}

export interface BatchOptions {
  /** Runs a flush later: by default after this turn of the event loop (setImmediate). */
  readonly schedule?: (flush: () => void) => void;
  /** Registers a flush for when the process exits: by default process.once('exit'). */
  readonly atExit?: (flush: () => void) => void;
}

/**
 * Gathers the lines written during one turn of the event loop and writes them with one call. A
 * write to stdout is a system call on Linux (synchronous for files and pipes), and under load it
 * was a quarter of a 1-row /score request's cost beyond the framework's; requests answered in the
 * same turn now share one. Lines keep their order and are written before the process exits.
 */
export function batchedLineWriter(write: (text: string) => void, options: BatchOptions = {}): BatchedLineWriter {
  const schedule = options.schedule ?? ((flush) => setImmediate(flush));
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  (options.atExit ?? ((f) => process.once('exit', f)))(flush);
  return {
    writeLine: (line) => {
      pending += `${line}\n`;
      if (pending.length >= MAX_PENDING_CHARS) {
        flush();
        return;
      }
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    flush,
  };
}
