import * as z from 'zod';
import { InvalidInputError } from '../errors';
import type { ObjectStore } from '../storage/object_store';
import { parseOrThrow } from '../validation';
import { ALERT_TYPES, type AlertCandidate } from './alert_candidate';

/** Where users keep the mute list in the store, unless configured otherwise. */
export const DEFAULT_MUTE_LIST_KEY = 'config/mute_list.json';

/**
 * A user-edited list of pools (optionally one alert type of a pool) whose alerts are recorded but
 * not sent, until an optional time. Example:
 * `{ "mutes": [{ "pool_id": "0xabc...", "alert_type": "volume_spike", "until": "2026-12-31T00:00:00Z", "reason": "known launch" }] }`
 */
export const muteListSchema = z.object({
  mutes: z.array(
    z.object({
      pool_id: z.string().min(1),
      chain: z.string().min(1).optional(),
      dex: z.string().min(1).optional(),
      alert_type: z.enum(ALERT_TYPES).optional(),
      until: z.iso.datetime({ offset: true }).optional(),
      reason: z.string().optional(),
    }).strict(),
  ),
}).strict();
export type MuteList = z.output<typeof muteListSchema>;

export const EMPTY_MUTE_LIST: MuteList = { mutes: [] };

/** The mute entry that silences this alert at `now`, if any. Pool ids compare case-insensitively (addresses). */
export function findMute(list: MuteList, alert: Pick<AlertCandidate, 'pool_id' | 'chain' | 'dex' | 'alert_type'>, now: Date): MuteList['mutes'][number] | undefined {
  return list.mutes.find(
    (m) =>
      m.pool_id.toLowerCase() === alert.pool_id.toLowerCase() &&
      (m.chain === undefined || m.chain === alert.chain) &&
      (m.dex === undefined || m.dex === alert.dex) &&
      (m.alert_type === undefined || m.alert_type === alert.alert_type) &&
      (m.until === undefined || Date.parse(m.until) > now.getTime()),
  );
}

/** Parses the mute list's text; the error names the entry and field at fault. */
export function parseMuteList(text: string, where: string): MuteList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError(`invalid mute list ${where}: not JSON (${(err as Error).message})`);
  }
  return parseOrThrow(muteListSchema, json, `invalid mute list ${where} at`, (m) => new InvalidInputError(m));
}

/** Reads the mute list from the store; an absent file is an empty list. */
export async function loadMuteList(store: ObjectStore, key: string = DEFAULT_MUTE_LIST_KEY): Promise<MuteList> {
  const object = await store.read(key);
  return object ? parseMuteList(object.data.toString('utf8'), `${store.url.replace(/\/?$/, '/')}${key}`) : EMPTY_MUTE_LIST;
}
