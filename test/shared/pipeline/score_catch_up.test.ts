import { catchUpHours } from '../../../shared/pipeline/score_catch_up';

const H = 3600;
const LAST = 1_000 * H;

test.each([
  ['nothing scored yet: only the last hour', null, 6, [LAST]],
  ['the previous hour scored: only the last hour', LAST - H, 6, [LAST]],
  ['two hours missed: both, oldest first, then the last', LAST - 3 * H, 6, [LAST - 2 * H, LAST - H, LAST]],
  ['the newest scored hour exactly at the window edge: every hour after it', LAST - 6 * H, 6, [LAST - 5 * H, LAST - 4 * H, LAST - 3 * H, LAST - 2 * H, LAST - H, LAST]],
  ['the newest scored hour older than the window: only the last hour (a backfill)', LAST - 7 * H, 6, [LAST]],
  ['the last hour already scored: rescored (a rerun replaces it)', LAST, 6, [LAST]],
  ['catch-up off', LAST - 3 * H, 0, [LAST]],
] as const)('%s', (_what, newest, window, expected) => {
  expect(catchUpHours(newest, LAST, window)).toEqual(expected);
});
