import { InvalidInputError } from '../../../shared/errors';
import { findMute, loadMuteList, parseMuteList } from '../../../shared/alerts/mute_list';
import { MemoryStore } from '../../../shared/storage/memory_store';
import { candidate, POOL } from './alert_fixtures';

const NOW = new Date('2026-11-24T06:00:00Z');

test.each([
  ['whole pool, no end', { pool_id: POOL }, true],
  ['pool by its checksummed address', { pool_id: POOL.toUpperCase().replace('0X', '0x') }, true],
  ['pool and this type', { pool_id: POOL, alert_type: 'liquidity_drain' as const }, true],
  ['pool and another type', { pool_id: POOL, alert_type: 'volume_spike' as const }, false],
  ['pool on another chain', { pool_id: POOL, chain: 'arbitrum' }, false],
  ['until later', { pool_id: POOL, until: '2026-11-24T07:00:00Z' }, true],
  ['until now: expired', { pool_id: POOL, until: '2026-11-24T06:00:00Z' }, false],
  ['another pool', { pool_id: '0x1' }, false],
])('%s', (_name, entry, muted) => {
  expect(findMute({ mutes: [entry] }, candidate(), NOW) !== undefined).toBe(muted);
});

test('the mute list is read from the store; absent means empty', async () => {
  const store = new MemoryStore('memory://m/');
  expect(await loadMuteList(store)).toEqual({ mutes: [] });
  await store.write('config/mute_list.json', Buffer.from(JSON.stringify({ mutes: [{ pool_id: POOL, reason: 'known launch' }] })));
  expect(await loadMuteList(store)).toEqual({ mutes: [{ pool_id: POOL, reason: 'known launch' }] });
});

test.each([
  ['{"mutes": [', 'invalid mute list memory://m/config/mute_list.json: not JSON'],
  ['{"mutes": [{"pool_id": "0x1", "alert_type": "whale"}]}', "invalid mute list memory://m/config/mute_list.json at 'mutes.0.alert_type': Invalid option"],
  ['{"mutes": [{"pool_id": "0x1", "until": "tomorrow"}]}', "invalid mute list memory://m/config/mute_list.json at 'mutes.0.until': Invalid ISO datetime"],
  ['{"mutes": [{"pool": "0x1"}]}', "invalid mute list memory://m/config/mute_list.json at 'mutes.0.pool_id'"],
])('a bad mute list names the entry and field: %s', (text, message) => {
  let error: unknown;
  try {
    parseMuteList(text, 'memory://m/config/mute_list.json');
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as Error).message).toContain(message);
});
