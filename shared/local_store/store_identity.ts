import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { ConfigError } from '../errors';

/** The file at a local store's root that records what made the store. */
export const IDENTITY_FILE = 'store-identity.json';

/** What made a local store: the simulated market it holds (same values, same bytes). */
export const storeIdentitySchema = z
  .object({
    seed: z.number().int().min(0),
    pools: z.number().int().min(1),
    days: z.number().int().min(1),
    /** The last simulated hour, ISO (the market depends on it, so a later hour is another market). */
    endHour: z.iso.datetime(),
    /** SHA-256 of the replay folder a replayed store was made from (seed and pools are then 0 and the replay's pool count); absent for a simulation. */
    replay: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .strict();
export type StoreIdentity = z.infer<typeof storeIdentitySchema>;

/** Entries a local pipeline store holds; `fresh` clears a folder only when it holds nothing else. */
const STORE_ENTRIES = new Set(['raw', 'manifests', 'quarantine', 'state', 'corrupt', '.tmp', '.locks', 'truth.json', 'warehouse.duckdb', 'warehouse.duckdb.wal', 'models', 'config', IDENTITY_FILE]);

/** A store made by another simulation than the one asked for. */
export class StoreIdentityMismatchError extends ConfigError {}

export function readStoreIdentity(root: string): StoreIdentity | null {
  const path = join(root, IDENTITY_FILE);
  if (!existsSync(path)) return null;
  const parsed = storeIdentitySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StoreIdentityMismatchError(`${path} is invalid at '${issue.path.join('.')}': ${issue.message}; clear the store with --fresh`);
  }
  return parsed.data;
}

export function writeStoreIdentity(root: string, identity: StoreIdentity): void {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, IDENTITY_FILE), `${JSON.stringify(storeIdentitySchema.parse(identity), null, 2)}\n`);
}

/** Each difference in words, e.g. "pools: the store has 200, this run asks for 50"; [] when equal. */
export function identityDifferences(stored: StoreIdentity, wanted: StoreIdentity): string[] {
  if (stored.replay !== wanted.replay) {
    const what = (i: StoreIdentity) => (i.replay === undefined ? 'a simulation' : `the replay ${i.replay.slice(0, 12)}`);
    return [`data: the store has ${what(stored)}, this run asks for ${what(wanted)}`];
  }
  return (['pools', 'days', 'seed', 'endHour'] as const)
    .filter((k) => stored[k] !== wanted[k])
    .map((k) => `${k === 'endHour' ? 'end hour' : k}: the store has ${String(stored[k])}, this run asks for ${String(wanted[k])}`);
}

export interface OpenedStore {
  /** What the store holds now (the one asked for, with the stored end hour when none was asked). */
  readonly identity: StoreIdentity;
  /** True when the store was empty (or cleared): write truth.json and fetch everything. */
  readonly created: boolean;
}

/**
 * Opens a local store for a simulation: a new or empty folder gets the identity; a folder made by
 * the same simulation is reused; one made by another fails with what differs, unless `fresh`,
 * which clears it first. Without `endHour`, a store's own end hour is reused, so rerunning later
 * the same day adds nothing instead of mixing two markets.
 */
export function openLocalStore(root: string, wanted: Omit<StoreIdentity, 'endHour'> & { endHour?: string }, options: { fresh?: boolean; defaultEndHour: string; /** The caller's flag for another store (default --store). */ storeFlag?: string }): OpenedStore {
  const storeFlag = options.storeFlag ?? '--store';
  const entries = existsSync(root) ? readdirSync(root) : [];
  if (options.fresh && entries.length > 0) {
    const foreign = entries.filter((e) => !STORE_ENTRIES.has(e));
    if (foreign.length > 0) throw new StoreIdentityMismatchError(`--fresh refuses to clear ${root}: it holds ${foreign.join(', ')}, which no local store makes`);
    for (const e of entries) rmSync(join(root, e), { recursive: true, force: true });
  }
  const stored = options.fresh ? null : readStoreIdentity(root);
  if (!stored) {
    if (!options.fresh && entries.length > 0) {
      throw new StoreIdentityMismatchError(`${root} holds data (${entries.join(', ')}) but no ${IDENTITY_FILE}, so what made it is unknown; clear it with --fresh or choose another ${storeFlag}`);
    }
    const identity = { ...wanted, endHour: wanted.endHour ?? options.defaultEndHour };
    writeStoreIdentity(root, identity);
    return { identity, created: true };
  }
  const identity = { ...wanted, endHour: wanted.endHour ?? stored.endHour };
  const differences = identityDifferences(stored, identity);
  if (differences.length > 0) {
    throw new StoreIdentityMismatchError(`${root} was made by ${stored.replay !== undefined || identity.replay !== undefined ? "other data" : "another simulation"} (${differences.join('; ')}); rerun with the store's values, add --fresh to clear it, or choose another ${storeFlag}`);
  }
  return { identity, created: false };
}
