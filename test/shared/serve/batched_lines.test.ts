import { batchedLineWriter } from '../../../shared/serve/batched_lines';

function setup() {
  const writes: string[] = [];
  const scheduled: (() => void)[] = [];
  const exits: (() => void)[] = [];
  const writer = batchedLineWriter(
    (text) => {
      writes.push(text);
    },
    {
      schedule: (f) => {
        scheduled.push(f);
      },
      atExit: (f) => {
        exits.push(f);
      },
    },
  );
  const runScheduled = () => {
    for (const f of scheduled.splice(0)) f();
  };
  return { writes, scheduled, exits, writer, runScheduled };
}

test('lines written in one turn go out in order with one write, after the turn', () => {
  const { writes, scheduled, writer, runScheduled } = setup();
  writer.writeLine('{"a":1}');
  writer.writeLine('{"b":2}');
  writer.writeLine('{"c":3}');
  expect(writes).toEqual([]);
  expect(scheduled).toHaveLength(1);
  runScheduled();
  expect(writes).toEqual(['{"a":1}\n{"b":2}\n{"c":3}\n']);
  writer.writeLine('{"d":4}');
  expect(scheduled).toHaveLength(1);
  runScheduled();
  expect(writes).toEqual(['{"a":1}\n{"b":2}\n{"c":3}\n', '{"d":4}\n']);
  // A flush with nothing queued writes nothing.
  writer.flush();
  expect(writes).toHaveLength(2);
});

test('queued lines are written when the process exits', () => {
  const { writes, exits, writer } = setup();
  writer.writeLine('last words');
  expect(exits).toHaveLength(1);
  exits[0]!();
  expect(writes).toEqual(['last words\n']);
});

test('a large backlog is written at once instead of growing', () => {
  const { writes, writer, runScheduled } = setup();
  const line = 'x'.repeat(1000);
  for (let i = 0; i < 100; i++) writer.writeLine(line);
  expect(writes.length).toBe(1);
  expect(writes[0]!.length).toBe(66 * 1001);
  runScheduled();
  expect(writes.join('')).toBe(`${line}\n`.repeat(100));
});
