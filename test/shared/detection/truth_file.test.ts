import { InvalidInputError } from '../../../shared/errors';
import { parseTruthFile, truthEvents } from '../../../shared/detection/truth_file';

const SOURCES = [
  { id: 'uniswap-v3-ethereum', kind: 'uniswap-v3' },
  { id: 'sushiswap-v2-ethereum', kind: 'sushiswap-v2' },
];

test('the simulator\'s truth.json is read; events are keyed like alerts, abandonment by its origin, other kinds ignored', () => {
  const truth = parseTruthFile(
    JSON.stringify({
      seed: 1,
      startTime: 1795305600,
      hours: 216,
      anomalies: [
        { subgraph: 'uniswap-v3', pool: '0xABCD', type: 'volume_spike', hours: [1795690800, 1795694400], magnitude: 33.3 },
        { subgraph: 'sushiswap-v2', pool: '0xef01', type: 'liquidity_drain', origin: 'abandonment', hours: [1795316400] },
        { subgraph: 'sushiswap-v3', pool: '0x02', type: 'rug_pull', hours: [1795316400] },
      ],
    }),
    'truth.json',
  );
  expect(truthEvents(truth, SOURCES)).toEqual({
    events: [
      { pool: 'uniswap-v3-ethereum/0xabcd', type: 'volume_spike', hours: [1795690800, 1795694400] },
      { pool: 'sushiswap-v2-ethereum/0xef01', type: 'abandonment', hours: [1795316400] },
    ],
    ignored: 1,
  });
});

test.each([
  ['not JSON', '{"anomalies": [', /^truth file t\.json: not JSON \(/],
  ['no anomalies', '{}', /^truth file t\.json: field 'anomalies': Invalid input: expected array, received undefined$/],
  ['an unknown type', '{"anomalies":[{"subgraph":"uniswap-v3","pool":"0x1","type":"wash","hours":[3600]}]}', /^truth file t\.json: field 'anomalies\.0\.type': Invalid option: expected one of/],
  ['an hour that is not whole', '{"anomalies":[{"subgraph":"uniswap-v3","pool":"0x1","type":"rug_pull","hours":[3601]}]}', /^truth file t\.json: field 'anomalies\.0\.hours\.0': must be an hour start in unix seconds/],
  ['no hours', '{"anomalies":[{"subgraph":"uniswap-v3","pool":"0x1","type":"rug_pull","hours":[]}]}', /^truth file t\.json: field 'anomalies\.0\.hours': must list at least the onset hour$/],
  ['an unknown subgraph', '{"anomalies":[{"subgraph":"pancake","pool":"0x1","type":"rug_pull","hours":[3600]}]}', /^truth file t\.json: field 'anomalies\.0\.subgraph': Invalid option/],
])('%s is refused naming the field', (_what, text, expected) => {
  expect(() => parseTruthFile(text, 't.json')).toThrow(InvalidInputError);
  expect(() => parseTruthFile(text, 't.json')).toThrow(expected);
});
