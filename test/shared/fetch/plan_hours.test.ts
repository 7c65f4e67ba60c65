import { lastFullHour, plannedHours } from '../../../shared/fetch/plan_hours';

const H = 3600;
const T = Date.UTC(2026, 10, 24, 20) / 1000;

test('the last full hour is the one that ended before now', () => {
  expect(lastFullHour(new Date((T + 10 * 60) * 1000))).toBe(T - H);
  expect(lastFullHour(new Date(T * 1000))).toBe(T - H);
});

test.each([
  { name: 'new source: from the start hour', wm: null, start: T - 3 * H, cap: 24, hours: [T - 3 * H, T - 2 * H, T - H, T], remaining: 0 },
  { name: 'after the watermark', wm: T - 2 * H, start: T - 10 * H, cap: 24, hours: [T - H, T], remaining: 0 },
  { name: 'up to date', wm: T, start: T - 10 * H, cap: 24, hours: [], remaining: 0 },
  { name: 'a long gap is capped, oldest first', wm: T - 10 * H, start: 0, cap: 3, hours: [T - 9 * H, T - 8 * H, T - 7 * H], remaining: 7 },
  { name: 'a start later than the watermark wins', wm: T - 10 * H, start: T - H, cap: 24, hours: [T - H, T], remaining: 0 },
])('$name', ({ wm, start, cap, hours, remaining }) => {
  expect(plannedHours(wm, start, T, cap)).toEqual({ hours, remaining });
});
