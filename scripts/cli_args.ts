import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { AppError, InvalidInputError } from '../shared/errors';
import { describeIssue } from '../shared/validation';

/** What `--help` prints above the flags. */
export interface CliSpec {
  /** e.g. `npm run backfill -- --source <id> --from <day> --to <day>` */
  readonly usage: string;
  /** One or two lines on what the command does. */
  readonly summary?: string;
  /** Names of the positional arguments the command takes, if any (e.g. ['command', 'version']). */
  readonly positionals?: readonly string[];
}

/** A mistake on the command line: printed as one line, exit status 2. */
export class CliUsageError extends InvalidInputError {}

/** `--help` was asked for: its text is printed, exit status 0. */
export class CliHelp extends Error {
  constructor(readonly text: string) {
    super('help');
  }
}

interface FlagInfo {
  readonly name: string;
  readonly boolean: boolean;
  readonly defaultValue: unknown;
  readonly optional: boolean;
  readonly description: string | undefined;
}

type ZodInternals = { _zod: { def: { type: string; innerType?: ZodInternals; defaultValue?: unknown } }; description?: string };

function flagInfo(name: string, schema: ZodInternals): FlagInfo {
  let node: ZodInternals = schema;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    const def: ZodInternals['_zod']['def'] = node._zod.def;
    if (def.type === 'default' || def.type === 'prefault') defaultValue = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
    if (def.type === 'optional' || def.type === 'default') optional = true;
    if (!def.innerType) break;
    node = def.innerType;
  }
  return { name, boolean: node._zod.def.type === 'boolean', defaultValue, optional, description: schema.description ?? node.description };
}

/** The `--help` text: usage, summary and every flag with its default. */
export function helpText(schema: z.ZodObject, spec: CliSpec): string {
  const flags = Object.entries(schema.shape).map(([name, s]) => flagInfo(name, s as unknown as ZodInternals));
  const left = (f: FlagInfo) => (f.boolean ? `--${f.name}` : `--${f.name} <value>`);
  const width = Math.max(...flags.map((f) => left(f).length), 6) + 2;
  const lines = [`usage: ${spec.usage}`];
  if (spec.summary) lines.push('', spec.summary);
  lines.push('', 'flags:');
  for (const f of flags) {
    const notes = [f.description ?? ''];
    if (f.defaultValue !== undefined && !(f.boolean && f.defaultValue === false)) notes.push(`(default: ${typeof f.defaultValue === 'string' ? f.defaultValue : JSON.stringify(f.defaultValue)})`);
    else if (!f.optional && !f.boolean) notes.push('(required)');
    lines.push(`  ${left(f).padEnd(width)}${notes.filter(Boolean).join(' ')}`);
  }
  lines.push(`  ${'--help'.padEnd(width)}this text`);
  return `${lines.join('\n')}\n`;
}

/**
 * Parses `--name value` flags (and `--flag` for booleans) with a zod object schema, every value a
 * string on the command line coerced by the schema. `--help` throws CliHelp; an unknown flag or a
 * bad value throws CliUsageError naming the flag (and, for an unknown one, the valid flags).
 * Positional arguments are returned under `_` when the spec names some.
 */
export function parseCliArgs<S extends z.ZodObject>(schema: S, argv: string[] = process.argv.slice(2), spec: CliSpec = { usage: `${process.argv[1] ?? 'command'} [flags]` }): z.output<S> & { readonly _: string[] } {
  const flags = Object.entries(schema.shape).map(([name, s]) => flagInfo(name, s as unknown as ZodInternals));
  if (argv.includes('--help') || argv.includes('-h')) throw new CliHelp(helpText(schema, spec));
  let parsedArgs: ReturnType<typeof parseArgs>;
  try {
    parsedArgs = parseArgs({ args: argv, allowPositionals: (spec.positionals?.length ?? 0) > 0, strict: true, options: Object.fromEntries(flags.map((f) => [f.name, { type: f.boolean ? ('boolean' as const) : ('string' as const) }])) });
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    const valid = flags.map((f) => `--${f.name}`).join(', ');
    if (unknown) throw new CliUsageError(`unknown flag ${unknown[1]!}; valid flags: ${valid}, --help`);
    const missingValue = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
    if (missingValue) throw new CliUsageError(`${missingValue[1]!}: needs a value`);
    const positional = /Unexpected argument '([^']+)'/.exec(message);
    if (positional) throw new CliUsageError(`unexpected argument '${positional[1]!}'; flags start with -- (valid: ${valid})`);
    throw new CliUsageError(message);
  }
  const parsed = schema.safeParse(parsedArgs.values);
  if (!parsed.success) throw new CliUsageError(parsed.error.issues.map((i) => describeIssue(i, (p) => `--${p}`).replace(/^ /, '').replace(/^: /, '')).join('; '));
  if (spec.positionals && parsedArgs.positionals.length > spec.positionals.length) throw new CliUsageError(`too many arguments: expected at most ${spec.positionals.join(', ')}`);
  return Object.assign(parsed.data, { _: parsedArgs.positionals });
}

/**
 * Runs a command's main function: `--help` prints and exits 0; a user's mistake (a bad flag, bad
 * configuration, bad input) prints one line and exits 2; anything else prints its message (the
 * stack only with DEBUG=1) and exits 1. Never a stack trace for a user's mistake.
 */
export function runCli(main: () => Promise<void>, io: { out: (s: string) => void; err: (s: string) => void; exit: (code: number) => void } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), exit: (code) => process.exit(code) }): Promise<void> {
  return main().then(
    () => undefined,
    (err: unknown) => {
      if (err instanceof CliHelp) {
        io.out(err.text);
        io.exit(0);
        return;
      }
      const userMistake = err instanceof AppError && !err.retryable && (err.kind === 'invalid_input' || err.kind === 'invalid_config');
      const message = err instanceof Error ? err.message : String(err);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        io.err(`error: address already in use (${message.replace(/^listen EADDRINUSE: address already in use /, '')}): choose another --port, or stop what is listening there\n`);
        io.exit(2);
        return;
      }
      io.err(`error: ${message}\n`);
      if (err instanceof CliUsageError) io.err('run with --help for the flags and their defaults\n');
      if (!userMistake && process.env.DEBUG === '1' && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
      io.exit(userMistake ? 2 : 1);
    },
  );
}

/** parseCliArgs for module-level flags: prints help or the mistake and exits, as runCli would. */
export function parseCliArgsOrExit<S extends z.ZodObject>(schema: S, argv: string[], spec: CliSpec): z.output<S> & { readonly _: string[] } {
  try {
    return parseCliArgs(schema, argv, spec);
  } catch (err) {
    if (err instanceof CliHelp) {
      process.stdout.write(err.text);
      process.exit(0);
    }
    process.stderr.write(`error: ${(err as Error).message}\nrun with --help for the flags and their defaults\n`);
    process.exit(2);
  }
}
