import { alertKey } from '../../../shared/alerts/alert_candidate';
import { alertIdOf, decideEpisodes, type KnownEpisode } from '../../../shared/alerts/episodes';
import { candidate, H } from './alert_fixtures';

const KEY = alertKey(candidate());
const episode = (start: number, last: number): KnownEpisode => ({ alertId: alertIdOf(KEY, start), key: KEY, episodeStart: start, lastHour: last });

test('the id is deterministic from chain, dex, pool, type and episode start; the pool address case does not matter', () => {
  expect(alertIdOf(KEY, H)).toBe(alertIdOf(alertKey(candidate({ pool_id: candidate().pool_id.toUpperCase(), score: 0.1 })), H));
  expect(alertIdOf(KEY, H)).not.toBe(alertIdOf(KEY, H + 3600));
  expect(alertIdOf(KEY, H)).not.toBe(alertIdOf(alertKey(candidate({ alert_type: 'volume_spike' })), H));
  expect(alertIdOf(KEY, H)).toMatch(/^[0-9a-f]{32}$/);
});

test.each([
  // [case, known episodes, candidate hour offset in hours, expected kind]
  ['no history: a new alert', [], 0, 'new'],
  ['rerun of the opening hour', [episode(H, H)], 0, 'already_alerted'],
  ['rerun of an hour inside the episode', [episode(H - 7200, H + 3600)], 0, 'already_alerted'],
  ['next hour, still alerting: the episode continues', [episode(H - 3600, H - 3600)], 0, 'continued'],
  ['gap of exactly the cooldown: still the same episode', [episode(H - 6 * 3600, H - 6 * 3600)], 0, 'continued'],
  ['gap longer than the cooldown: a new episode', [episode(H - 7 * 3600, H - 7 * 3600)], 0, 'new'],
  ['a backfilled hour just before an episode belongs to it', [episode(H + 2 * 3600, H + 3 * 3600)], 0, 'already_alerted'],
  ['a backfilled hour long before an episode is its own', [episode(H + 8 * 3600, H + 9 * 3600)], 0, 'new'],
] as const)('%s', (_name, known, offset, kind) => {
  const [decision] = decideEpisodes([candidate({ hour_ts: H + offset * 3600 })], known, 6);
  expect(decision?.kind).toBe(kind);
});

test('deduplication is by key, never by score or time: another type of the same pool is its own alert', () => {
  const decisions = decideEpisodes([candidate({ score: 0.99 }), candidate({ alert_type: 'volume_spike' })], [episode(H - 3600, H - 3600)], 6);
  expect(decisions.map((d) => [d.kind, d.candidate.alert_type])).toEqual([
    ['continued', 'liquidity_drain'],
    ['new', 'volume_spike'],
  ]);
  const fresh = decisions[1];
  expect(fresh?.kind === 'new' ? fresh.alertId : '').toBe(alertIdOf(alertKey(candidate({ alert_type: 'volume_spike' })), H));
});

test('the same key twice in one hour keeps the higher score', () => {
  const decisions = decideEpisodes([candidate({ score: 0.7 }), candidate({ score: 0.9 }), candidate({ score: 0.8 })], [], 6);
  expect(decisions.map((d) => d.candidate.score)).toEqual([0.9]);
});
