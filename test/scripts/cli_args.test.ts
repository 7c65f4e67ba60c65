import * as z from 'zod';
import { CliHelp, CliUsageError, helpText, parseCliArgs, runCli } from '../../scripts/cli_args';
import { ConfigError, UpstreamError } from '../../shared/errors';

const schema = z.object({
  pools: z.coerce.number().int().min(1).default(200).describe('pools per subgraph'),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').describe('first day'),
  fresh: z.boolean().default(false).describe('start afresh'),
  store: z.string().optional().describe('store URL'),
});
const spec = { usage: 'npm run x -- --from <day> [flags]', summary: 'Does x.' };

test('--help lists every flag with its default, and whether it is required', () => {
  expect(helpText(schema, spec)).toBe(`usage: npm run x -- --from <day> [flags]

Does x.

flags:
  --pools <value>  pools per subgraph (default: 200)
  --from <value>   first day (required)
  --fresh          start afresh
  --store <value>  store URL
  --help           this text
`);
  expect(() => parseCliArgs(schema, ['--pools', 'x', '--help'], spec)).toThrow(CliHelp);
});

test('values are coerced, booleans are flags, defaults apply', () => {
  expect(parseCliArgs(schema, ['--from', '2026-11-01', '--fresh', '--pools', '3'], spec)).toEqual({ pools: 3, from: '2026-11-01', fresh: true, _: [] });
  expect(parseCliArgs(schema, ['--from', '2026-11-01'], spec)).toEqual({ pools: 200, from: '2026-11-01', fresh: false, _: [] });
});

test.each([
  [['--from', '2026-11-01', '--bogus', '1'], 'unknown flag --bogus; valid flags: --pools, --from, --fresh, --store, --help'],
  [['--from', '2026-13'], '--from: must be YYYY-MM-DD'],
  [['--pools', 'x', '--from', '2026-11-01'], '--pools: Invalid input: expected number, received NaN'],
  [['--from'], '--from: needs a value'],
  [[], '--from: Invalid input: expected string, received undefined'],
  [['--from', '2026-11-01', 'extra'], "unexpected argument 'extra'; flags start with -- (valid: --pools, --from, --fresh, --store)"],
])('%j is refused naming the flag: %s', (argv, message) => {
  const err = (() => {
    try {
      parseCliArgs(schema, argv, spec);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  expect(err).toBeInstanceOf(CliUsageError);
  expect((err as Error).message).toBe(message);
});

test('positional arguments are returned when the command takes them', () => {
  expect(parseCliArgs(schema, ['show', 'v3', '--from', '2026-11-01'], { ...spec, positionals: ['command', 'version'] })._).toEqual(['show', 'v3']);
  expect(() => parseCliArgs(schema, ['a', 'b', 'c', '--from', '2026-11-01'], { ...spec, positionals: ['command', 'version'] })).toThrow('too many arguments: expected at most command, version');
});

describe('runCli', () => {
  const run = async (err: unknown) => {
    const out: string[] = [];
    const errs: string[] = [];
    let code = -1;
    await runCli(() => Promise.reject(err instanceof Error ? err : new Error(String(err))), { out: (s) => out.push(s), err: (s) => errs.push(s), exit: (c) => { code = c; } });
    return { code, out: out.join(''), err: errs.join('') };
  };

  test('help prints to stdout and exits 0', async () => {
    expect(await run(new CliHelp('usage: x\n'))).toEqual({ code: 0, out: 'usage: x\n', err: '' });
  });

  test("a user's mistake is one line, exit 2, no stack trace", async () => {
    expect(await run(new CliUsageError('--from: must be YYYY-MM-DD'))).toEqual({ code: 2, out: '', err: 'error: --from: must be YYYY-MM-DD\nrun with --help for the flags and their defaults\n' });
    expect(await run(new ConfigError('invalid configuration DATA_STORE_URL: required'))).toEqual({ code: 2, out: '', err: 'error: invalid configuration DATA_STORE_URL: required\n' });
  });

  test('a port in use says so and what to do', async () => {
    const err = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8000'), { code: 'EADDRINUSE' });
    expect(await run(err)).toEqual({ code: 2, out: '', err: 'error: address already in use (127.0.0.1:8000): choose another --port, or stop what is listening there\n' });
  });

  test('other failures exit 1 with their message', async () => {
    expect(await run(new UpstreamError('subgraph down', true))).toEqual({ code: 1, out: '', err: 'error: subgraph down\n' });
  });
});
