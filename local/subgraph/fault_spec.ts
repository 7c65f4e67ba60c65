import { SUBGRAPH_KINDS, type SubgraphKind } from '../market/market';
import { GATEWAY_MESSAGES, type Fault, type FaultRule } from './faults';

/** What `--fault` accepts, for --help and for error messages. */
export const FAULT_SPEC_HELP = [
  'comma-separated faults, each NAME[:ARG...][@SUBGRAPH][*TIMES][%EVERY][+SKIP]:',
  '  429[:RETRY_AFTER_S]  5xx[:STATUS]  slow:MS  hang  head-advances[:BLOCKS]  head-behind[:BLOCKS]',
  '  repeat-rows  gateway:auth|no-indexers|bad-indexers|no-allocations',
  '  malformed:FIELD[:missing|not-a-number|value=TEXT][:at=I|every=N]',
  'e.g. --fault head-advances,429%3  (head moves a block per request; every 3rd request rate-limited)',
].join('\n');

const GATEWAY: Record<string, string> = {
  auth: GATEWAY_MESSAGES.auth,
  'no-indexers': GATEWAY_MESSAGES.noIndexers,
  'bad-indexers': GATEWAY_MESSAGES.badIndexers(0, 0),
  'no-allocations': GATEWAY_MESSAGES.noAllocations,
};

function count(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text)) throw new RangeError(`${what} must be a whole number, got '${text}'`);
  return Number(text);
}

function parseFault(name: string, args: readonly string[]): Fault {
  switch (name) {
    case '429':
    case 'rate-limited':
      return { kind: 'rate-limited', retryAfterSeconds: count(args[0], 'Retry-After seconds', 1) };
    case '5xx':
    case 'server-error':
      return { kind: 'server-error', status: count(args[0], 'status', 503) };
    case '500':
    case '502':
    case '503':
    case '504':
      return { kind: 'server-error', status: Number(name) };
    case 'slow':
      return { kind: 'slow', delayMs: count(args[0], 'slow delay (ms)', 1000) };
    case 'hang':
      return { kind: 'hang' };
    case 'repeat-rows':
      return { kind: 'repeat-rows' };
    case 'head-advances':
      return { kind: 'head-advances', blocks: count(args[0], 'blocks', 1) };
    case 'head-behind':
      return { kind: 'head-behind', blocks: count(args[0], 'blocks', 50) };
    case 'gateway': {
      const message = GATEWAY[args[0] ?? ''];
      if (!message) throw new RangeError(`gateway needs one of ${Object.keys(GATEWAY).join(', ')}`);
      return { kind: 'gateway-error', message };
    }
    case 'malformed': {
      const field = args[0];
      if (!field) throw new RangeError('malformed needs a field, e.g. malformed:volumeUSD');
      let mode: 'not-a-number' | 'missing' | 'value' = 'not-a-number';
      let value: string | undefined;
      let at: number | undefined;
      let every: number | undefined;
      for (const option of args.slice(1)) {
        if (option === 'missing' || option === 'not-a-number') mode = option;
        else if (option.startsWith('value=')) [mode, value] = ['value', option.slice('value='.length)];
        else if (option.startsWith('at=') && /^-?\d+$/.test(option.slice(3))) at = Number(option.slice(3));
        else if (option.startsWith('every=')) every = count(option.slice('every='.length), 'every', 1);
        else throw new RangeError(`malformed option '${option}' is not missing, not-a-number, value=TEXT, at=I or every=N`);
      }
      return { kind: 'malformed-rows', field, mode, ...(value !== undefined ? { value } : {}), ...(at !== undefined ? { at } : { every: every ?? 10 }) };
    }
    default:
      throw new RangeError(`unknown fault '${name}'`);
  }
}

/** Parses a `--fault` value into the rules the server's FaultPlan takes; throws naming the bad part. */
export function parseFaultSpec(spec: string): FaultRule[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((item) => {
      const m = /^([^@*%+]+)(?:@([\w-]+))?(?:\*(\d+))?(?:%(\d+))?(?:\+(\d+))?$/.exec(item);
      if (!m) throw new RangeError(`cannot read fault '${item}'`);
      const [name, ...args] = m[1]!.split(':');
      const subgraph = m[2];
      if (subgraph !== undefined && !SUBGRAPH_KINDS.includes(subgraph as SubgraphKind)) throw new RangeError(`unknown subgraph '${subgraph}' in '${item}' (one of ${SUBGRAPH_KINDS.join(', ')})`);
      let fault: Fault;
      try {
        fault = parseFault(name!, args);
      } catch (err) {
        throw new RangeError(`fault '${item}': ${(err as Error).message}`, { cause: err });
      }
      return {
        fault,
        ...(subgraph !== undefined ? { subgraph: subgraph as SubgraphKind } : {}),
        ...(m[3] !== undefined ? { times: Number(m[3]) } : {}),
        ...(m[4] !== undefined ? { every: Number(m[4]) } : {}),
        ...(m[5] !== undefined ? { skip: Number(m[5]) } : {}),
      };
    });
}
