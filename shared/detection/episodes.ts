/**
 * One post per pool and type and episode, for alert streams that do not go through the alert
 * policy (the baselines): an alert within `cooldownHours` of the previous one of the same pool
 * and type continues its episode. Alerts must come in time order.
 */
export function markEpisodePosts<T extends { readonly pool: string; readonly hour: number; readonly type: string }>(alerts: readonly T[], cooldownHours: number): (T & { readonly post: boolean })[] {
  const last = new Map<string, number>();
  return alerts.map((a) => {
    const key = `${a.pool}/${a.type}`;
    const previous = last.get(key);
    last.set(key, a.hour);
    return { ...a, post: previous === undefined || a.hour - previous > cooldownHours * 3600 };
  });
}
