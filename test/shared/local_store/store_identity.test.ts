import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../shared/errors';
import { IDENTITY_FILE, identityDifferences, openLocalStore, readStoreIdentity, StoreIdentityMismatchError } from '../../../shared/local_store/store_identity';

const END = '2026-11-24T23:00:00.000Z';
const LATER = '2026-11-25T00:00:00.000Z';
let root: string;
beforeEach(() => {
  root = join(mkdtempSync(join(tmpdir(), 'identity-')), 'lake');
});
afterEach(() => {
  rmSync(join(root, '..'), { recursive: true, force: true });
});

test('a new store records what made it', () => {
  expect(openLocalStore(root, { seed: 1, pools: 200, days: 7 }, { defaultEndHour: END })).toEqual({ identity: { seed: 1, pools: 200, days: 7, endHour: END }, created: true });
  expect(readStoreIdentity(root)).toEqual({ seed: 1, pools: 200, days: 7, endHour: END });
});

test('the same simulation reuses the store, and an hour later keeps the store\'s end hour', () => {
  openLocalStore(root, { seed: 1, pools: 200, days: 7 }, { defaultEndHour: END });
  writeFileSync(join(root, 'truth.json'), '{}');
  expect(openLocalStore(root, { seed: 1, pools: 200, days: 7 }, { defaultEndHour: LATER })).toEqual({ identity: { seed: 1, pools: 200, days: 7, endHour: END }, created: false });
});

// Issue 10, point 7: before, --pools 50 --days 3 on a 200-pool store fetched nothing and rewrote truth.json.
test('another simulation fails saying what differs, and leaves the store alone', () => {
  openLocalStore(root, { seed: 1, pools: 200, days: 7 }, { defaultEndHour: END });
  writeFileSync(join(root, 'truth.json'), 'truth of 200 pools');
  const err = (() => {
    try {
      openLocalStore(root, { seed: 1, pools: 50, days: 3 }, { defaultEndHour: END });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  expect(err).toBeInstanceOf(StoreIdentityMismatchError);
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toBe(`${root} was made by another simulation (pools: the store has 200, this run asks for 50; days: the store has 7, this run asks for 3); rerun with the store's values, add --fresh to clear it, or choose another --store`);
  expect(readFileSync(join(root, 'truth.json'), 'utf8')).toBe('truth of 200 pools');
  expect(() => openLocalStore(root, { seed: 1, pools: 200, days: 7, endHour: LATER }, { defaultEndHour: LATER })).toThrow(`end hour: the store has ${END}, this run asks for ${LATER}`);
});

test('fresh clears a store made by another simulation and records the new one', () => {
  openLocalStore(root, { seed: 1, pools: 200, days: 7 }, { defaultEndHour: END });
  mkdirSync(join(root, 'raw', 'source=x'), { recursive: true });
  writeFileSync(join(root, 'truth.json'), '{}');
  expect(openLocalStore(root, { seed: 2, pools: 50, days: 3 }, { fresh: true, defaultEndHour: LATER })).toEqual({ identity: { seed: 2, pools: 50, days: 3, endHour: LATER }, created: true });
  expect([existsSync(join(root, 'raw')), existsSync(join(root, 'truth.json'))]).toEqual([false, false]);
  expect(readStoreIdentity(root)).toEqual({ seed: 2, pools: 50, days: 3, endHour: LATER });
});

test('a store without an identity is not guessed at; fresh never clears a folder holding other things', () => {
  mkdirSync(join(root, 'manifests'), { recursive: true });
  expect(() => openLocalStore(root, { seed: 1, pools: 200, days: 7 }, { defaultEndHour: END })).toThrow(`${root} holds data (manifests) but no ${IDENTITY_FILE}, so what made it is unknown`);
  writeFileSync(join(root, 'thesis.tex'), 'precious');
  expect(() => openLocalStore(root, { seed: 1, pools: 200, days: 7 }, { fresh: true, defaultEndHour: END })).toThrow(`--fresh refuses to clear ${root}: it holds thesis.tex, which no local store makes`);
  expect(readFileSync(join(root, 'thesis.tex'), 'utf8')).toBe('precious');
});

test('an invalid identity file names the field', () => {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, IDENTITY_FILE), JSON.stringify({ seed: 1, pools: 0, days: 7, endHour: END }));
  expect(() => readStoreIdentity(root)).toThrow(`${join(root, IDENTITY_FILE)} is invalid at 'pools'`);
});

test.each([
  [{ seed: 1, pools: 2, days: 3, endHour: END }, { seed: 1, pools: 2, days: 3, endHour: END }, []],
  [{ seed: 1, pools: 2, days: 3, endHour: END }, { seed: 4, pools: 2, days: 3, endHour: LATER }, ['seed: the store has 1, this run asks for 4', `end hour: the store has ${END}, this run asks for ${LATER}`]],
])('differences %#', (stored, wanted, expected) => {
  expect(identityDifferences(stored, wanted)).toEqual(expected);
});

test('a store made from a replay remembers its digest: another replay or a simulation is refused', () => {
  const digest = 'a'.repeat(64);
  openLocalStore(root, { seed: 0, pools: 7, days: 10, replay: digest, endHour: END }, { defaultEndHour: END, storeFlag: '--out' });
  expect(openLocalStore(root, { seed: 0, pools: 7, days: 10, replay: digest, endHour: END }, { defaultEndHour: END })).toEqual({ identity: { seed: 0, pools: 7, days: 10, replay: digest, endHour: END }, created: false });
  expect(() => openLocalStore(root, { seed: 0, pools: 7, days: 10, replay: 'b'.repeat(64), endHour: END }, { defaultEndHour: END, storeFlag: '--out' })).toThrow(
    `${root} was made by other data (data: the store has the replay aaaaaaaaaaaa, this run asks for the replay bbbbbbbbbbbb); rerun with the store's values, add --fresh to clear it, or choose another --out`,
  );
  expect(() => openLocalStore(root, { seed: 1, pools: 7, days: 10 }, { defaultEndHour: END })).toThrow('(data: the store has the replay aaaaaaaaaaaa, this run asks for a simulation)');
});
