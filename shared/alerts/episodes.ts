import { createHash } from 'node:crypto';
import { HOUR_SECONDS } from '../hours';
import { alertKey, type AlertCandidate } from './alert_candidate';

/** An alert episode already recorded for a key: its first and latest hour (unix seconds). */
export interface KnownEpisode {
  readonly alertId: string;
  readonly key: string;
  readonly episodeStart: number;
  readonly lastHour: number;
}

export type EpisodeDecision =
  /** No episode near this hour: a new alert, to record and deliver. */
  | { readonly kind: 'new'; readonly candidate: AlertCandidate; readonly alertId: string }
  /** The pool is still alerting after the episode's latest hour, within the cooldown: extend it, post nothing. */
  | { readonly kind: 'continued'; readonly candidate: AlertCandidate; readonly episode: KnownEpisode }
  /** The hour is already inside a recorded episode (a rerun, or a backfill just before it): nothing to do. */
  | { readonly kind: 'already_alerted'; readonly candidate: AlertCandidate; readonly episode: KnownEpisode };

/** Deterministic from chain, DEX, pool, type and the episode's first hour: a rerun gets the same id. */
export function alertIdOf(key: string, episodeStart: number): string {
  return createHash('sha256').update(`${key}|${episodeStart}`).digest('hex').slice(0, 32);
}

/**
 * Decides, per candidate, whether it opens a new episode. An episode of a key lasts while the key
 * keeps alerting with gaps of at most `cooldownHours`; one alert per episode. Pure: the known
 * episodes come from the alerts table.
 */
export function decideEpisodes(candidates: readonly AlertCandidate[], known: readonly KnownEpisode[], cooldownHours: number): EpisodeDecision[] {
  const cooldown = cooldownHours * HOUR_SECONDS;
  const byKey = new Map<string, KnownEpisode[]>();
  for (const e of known) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  // One candidate per key: a policy naming the same pool and type twice keeps the higher score.
  const best = new Map<string, AlertCandidate>();
  for (const c of candidates) {
    const key = alertKey(c);
    const seen = best.get(key);
    if (!seen || c.score > seen.score) best.set(key, c);
  }
  return [...best.entries()].map(([key, candidate]): EpisodeDecision => {
    const h = candidate.hour_ts;
    const episodes = byKey.get(key) ?? [];
    const inside = episodes.find((e) => h >= e.episodeStart - cooldown && h <= e.lastHour);
    if (inside) return { kind: 'already_alerted', candidate, episode: inside };
    const after = episodes.filter((e) => h > e.lastHour && h - e.lastHour <= cooldown).sort((a, b) => b.lastHour - a.lastHour)[0];
    if (after) return { kind: 'continued', candidate, episode: after };
    return { kind: 'new', candidate, alertId: alertIdOf(key, h) };
  });
}
