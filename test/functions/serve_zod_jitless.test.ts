import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { scoreRequestSchema } from '../../shared/serve/score_schema';

const bodies: unknown[] = [
  { rows: [{ features: { a: 1, b: 'x' } }] },
  { rows: [{ pool_id: 3, features: { a: NaN, c: 1 }, extra: true }], more: 1 },
  { rows: [] },
  [],
  { rows: [{ features: { a: 1e39, b: -1 } }, null] },
];

test('the serve entry configures zod jitless before anything else is imported, and the verdicts stay the same', async () => {
  const source = readFileSync(join(__dirname, '..', '..', 'functions', 'serve', 'index.ts'), 'utf8');
  expect(source.match(/^import .*$/m)?.[0]).toBe("import './zod_jitless';");

  const compiled = scoreRequestSchema(['a', 'b']);
  const before = bodies.map((b) => compiled.safeParse(b));
  expect(z.config().jitless).toBeUndefined();
  await import('../../functions/serve/zod_jitless');
  expect(z.config().jitless).toBe(true);
  const interpreted = scoreRequestSchema(['a', 'b']);
  expect(bodies.map((b) => interpreted.safeParse(b))).toEqual(before);
  expect(before.filter((r) => !r.success)).toHaveLength(bodies.length);
});
