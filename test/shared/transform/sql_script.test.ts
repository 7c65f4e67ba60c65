import { bindVariables, parseDeclaration, splitStatements, stripComments, typedLiteral } from '../../../shared/transform/sql_script';

describe('splitStatements', () => {
  test.each([
    ['two statements, blank ones dropped', 'SELECT 1;\n;\nSELECT 2;', ['SELECT 1', 'SELECT 2']],
    ['a semicolon in a string, a quoted name or a comment does not split', "SELECT 'a;b', `x;y`; -- it's; a comment\nSELECT 2 /* c; d */", ["SELECT 'a;b', `x;y`", 'SELECT 2']],
    ['an escaped and a doubled quote stay inside the string', "SELECT 'it''s; \\' ok'; SELECT 3", ["SELECT 'it''s; \\' ok'", 'SELECT 3']],
  ])('%s', (_name, script, expected) => {
    expect(splitStatements(script)).toEqual(expected);
  });
});

test('stripComments keeps the code and the strings, drops the comments (and an apostrophe in one)', () => {
  expect(stripComments("SELECT '--x' AS a -- the pool's\nFROM t")).toBe("SELECT '--x' AS a \nFROM t");
});

test.each([
  ['DECLARE from_hour TIMESTAMP DEFAULT (SELECT MAX(h) FROM t)', { name: 'from_hour', type: 'TIMESTAMP', defaultSql: '(SELECT MAX(h) FROM t)' }],
  ['declare n int64 default 3', { name: 'n', type: 'INT64', defaultSql: '3' }],
  ['DELETE FROM t WHERE x = 1', undefined],
])('parseDeclaration(%j)', (statement, expected) => {
  expect(parseDeclaration(statement)).toEqual(expected);
});

test('bindVariables replaces whole identifiers only, outside strings, quoted names and comments, and not after a dot', () => {
  const literals = new Map([['from_hour', "CAST('2026-11-01 05:00:00' AS TIMESTAMP)"]]);
  expect(bindVariables("SELECT t.from_hour, from_hour, FROM_HOUR, from_hours, 'from_hour', `from_hour` -- from_hour\nFROM t WHERE h >= from_hour", literals)).toBe(
    "SELECT t.from_hour, CAST('2026-11-01 05:00:00' AS TIMESTAMP), CAST('2026-11-01 05:00:00' AS TIMESTAMP), from_hours, 'from_hour', `from_hour` -- from_hour\nFROM t WHERE h >= CAST('2026-11-01 05:00:00' AS TIMESTAMP)",
  );
});

test('typedLiteral casts the engine text back to the declared type, doubling quotes; NULL stays typed', () => {
  expect(typedLiteral('TIMESTAMP', '2026-11-01 05:00:00.123')).toBe("CAST('2026-11-01 05:00:00.123' AS TIMESTAMP)");
  expect(typedLiteral('STRING', "it's")).toBe("CAST('it''s' AS STRING)");
  expect(typedLiteral('TIMESTAMP', null)).toBe('CAST(NULL AS TIMESTAMP)');
});
