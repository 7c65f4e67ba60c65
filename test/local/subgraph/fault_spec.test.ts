import { parseFaultSpec } from '../../../local/subgraph/fault_spec';
import { FaultPlan, GATEWAY_MESSAGES } from '../../../local/subgraph/faults';

test.each([
  ['429', [{ fault: { kind: 'rate-limited', retryAfterSeconds: 1 } }]],
  ['429:7*2', [{ fault: { kind: 'rate-limited', retryAfterSeconds: 7 }, times: 2 }]],
  ['head-advances', [{ fault: { kind: 'head-advances', blocks: 1 } }]],
  ['head-advances,429%3', [{ fault: { kind: 'head-advances', blocks: 1 } }, { fault: { kind: 'rate-limited', retryAfterSeconds: 1 }, every: 3 }]],
  ['503@sushiswap-v2+1', [{ fault: { kind: 'server-error', status: 503 }, subgraph: 'sushiswap-v2', skip: 1 }]],
  ['slow:250, hang*1', [{ fault: { kind: 'slow', delayMs: 250 } }, { fault: { kind: 'hang' }, times: 1 }]],
  ['gateway:bad-indexers', [{ fault: { kind: 'gateway-error', message: GATEWAY_MESSAGES.badIndexers(0, 0) } }]],
  ['malformed:id:missing:at=-1', [{ fault: { kind: 'malformed-rows', field: 'id', mode: 'missing', at: -1 } }]],
  ['malformed:volumeUSD:value=1e400:every=4', [{ fault: { kind: 'malformed-rows', field: 'volumeUSD', mode: 'value', value: '1e400', every: 4 } }]],
  ['malformed:tvlUSD', [{ fault: { kind: 'malformed-rows', field: 'tvlUSD', mode: 'not-a-number', every: 10 } }]],
  ['repeat-rows,head-behind:20', [{ fault: { kind: 'repeat-rows' } }, { fault: { kind: 'head-behind', blocks: 20 } }]],
])('--fault %s', (spec, rules) => {
  expect(parseFaultSpec(spec)).toEqual(rules);
});

test.each([
  ['teapot', "fault 'teapot': unknown fault 'teapot'"],
  ['429@curve', "unknown subgraph 'curve' in '429@curve' (one of uniswap-v3, sushiswap-v2, sushiswap-v3)"],
  ['slow:soon', "fault 'slow:soon': slow delay (ms) must be a whole number, got 'soon'"],
  ['gateway:oops', "fault 'gateway:oops': gateway needs one of auth, no-indexers, bad-indexers, no-allocations"],
  ['malformed', "fault 'malformed': malformed needs a field, e.g. malformed:volumeUSD"],
])('--fault %s is refused: %s', (spec, message) => {
  expect(() => parseFaultSpec(spec)).toThrow(message);
});

test('a rule with every applies to every n-th matching request after its skip', () => {
  const plan = new FaultPlan();
  for (const rule of parseFaultSpec('429%3+1')) plan.add(rule);
  const hits = Array.from({ length: 10 }, () => plan.take('uniswap-v3').length);
  expect(hits).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
});
