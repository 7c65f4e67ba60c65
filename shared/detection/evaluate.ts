/**
 * Detection measured against ground truth, the way a user experiences it: which events were
 * alerted and how late, how many of the alerts they received were real, and how many they would
 * have received on normal days. Pure: alerts and truth in, figures out.
 */

export const EVENT_TYPES = ['volume_spike', 'liquidity_drain', 'abandonment', 'rug_pull', 'mispriced_token'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface TruthEvent {
  /** Same key as the alerts' (e.g. `<source>/<pool>`). */
  readonly pool: string;
  readonly type: EventType;
  /** Unix seconds of the affected hours' starts (first = onset). */
  readonly hours: readonly number[];
}

/** One stored decision that alerts (is_anomaly, or a data error). */
export interface AlertRecord {
  readonly pool: string;
  /** Unix seconds of the scored hour's start. */
  readonly hour: number;
  /** 'data_error' or a market type ('anomaly' for an untyped one). */
  readonly type: string;
  /** Sent to the user (the first hour of an episode). */
  readonly post: boolean;
}

export interface TypeFigures {
  readonly events: number;
  readonly caught_1h: number;
  readonly caught_2h: number;
  /** Median hours from the onset hour's start to the end of the first alerted hour (1 = the onset hour itself); null when none was caught. */
  readonly median_delay_h: number | null;
  /** Caught within 24 hours at all. */
  readonly caught_24h: number;
}

export interface Evaluation {
  readonly types: Readonly<Record<EventType, TypeFigures>>;
  /** Posted market alerts (not data errors) that fall on a real event. */
  readonly alerts_posted: number;
  readonly alerts_true: number;
  readonly alert_precision: number | null;
  readonly false_alerts: number;
  /** False posted market alerts by alert type. */
  readonly false_by_type: Readonly<Record<string, number>>;
  readonly alerts_per_1000_pools_day: number;
  readonly mispriced_as_data_error: number | null;
  readonly data_error_posts: number;
  /** Hours a market alert counts as true after an event's last affected hour (its aftermath). */
  readonly aftermath_hours: number;
  /** Delays of caught events per type, for pooling several runs. */
  readonly delays: Readonly<Record<EventType, readonly number[]>>;
}

export interface EvaluationWindow {
  /** Unix seconds of the first and last scored hours. */
  readonly from: number;
  readonly to: number;
  /** Pools scored (all of them, quiet or not). */
  readonly pools: number;
}

const HOUR = 3600;
const AFTERMATH_HOURS = 24;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Evaluates alerts against the events whose onset lies in the window. An event is caught when a
 * market alert (any type but data_error; for mispriced tokens: a data_error) on its pool falls on
 * an hour from its onset on; the delay counts the onset hour itself as 1 hour (its data is
 * complete when it ends). A posted market alert is true when it falls within an event of its pool
 * (from the onset to 24 hours after its last affected hour); a mispriced token is not a market
 * event, so a market alert on it is false.
 */
export function evaluateAlerts(events: readonly TruthEvent[], alerts: readonly AlertRecord[], window: EvaluationWindow): Evaluation {
  const byPool = new Map<string, AlertRecord[]>();
  for (const a of alerts) {
    if (a.hour < window.from || a.hour > window.to) continue;
    const list = byPool.get(a.pool) ?? [];
    list.push(a);
    byPool.set(a.pool, list);
  }
  const inWindow = events.filter((e) => e.hours[0]! >= window.from && e.hours[0]! <= window.to);
  const delays = Object.fromEntries(EVENT_TYPES.map((t) => [t, [] as number[]])) as Record<EventType, number[]>;
  const counts = Object.fromEntries(EVENT_TYPES.map((t) => [t, { events: 0, caught_1h: 0, caught_2h: 0, caught_24h: 0 }])) as Record<EventType, { events: number; caught_1h: number; caught_2h: number; caught_24h: number }>;
  for (const e of inWindow) {
    const onset = e.hours[0]!;
    const c = counts[e.type];
    c.events++;
    const wanted = (a: AlertRecord) => (e.type === 'mispriced_token' ? a.type === 'data_error' : a.type !== 'data_error');
    const first = (byPool.get(e.pool) ?? []).filter((a) => wanted(a) && a.hour >= onset && a.hour < onset + 24 * HOUR).map((a) => a.hour).sort((a, b) => a - b)[0];
    if (first === undefined) continue;
    const delay = (first - onset) / HOUR + 1;
    c.caught_24h++;
    if (delay <= 1) c.caught_1h++;
    if (delay <= 2) c.caught_2h++;
    delays[e.type].push(delay);
  }
  const marketEvents = events.filter((e) => e.type !== 'mispriced_token');
  let posted = 0;
  let trueAlerts = 0;
  let dataErrorPosts = 0;
  const falseByType: Record<string, number> = {};
  for (const [pool, list] of byPool) {
    const own = marketEvents.filter((e) => e.pool === pool);
    for (const a of list) {
      if (!a.post) continue;
      if (a.type === 'data_error') {
        dataErrorPosts++;
        continue;
      }
      posted++;
      if (own.some((e) => a.hour >= e.hours[0]! && a.hour <= e.hours[e.hours.length - 1]! + AFTERMATH_HOURS * HOUR)) trueAlerts++;
      else falseByType[a.type] = (falseByType[a.type] ?? 0) + 1;
    }
  }
  const mispriced = counts.mispriced_token;
  const days = (window.to - window.from + HOUR) / 86400;
  const types = Object.fromEntries(EVENT_TYPES.map((t) => [t, { ...counts[t], median_delay_h: median(delays[t]) }])) as Record<EventType, TypeFigures>;
  return {
    types,
    alerts_posted: posted,
    alerts_true: trueAlerts,
    alert_precision: posted > 0 ? trueAlerts / posted : null,
    false_alerts: posted - trueAlerts,
    false_by_type: falseByType,
    alerts_per_1000_pools_day: window.pools > 0 && days > 0 ? (posted - trueAlerts) / (window.pools / 1000) / days : 0,
    mispriced_as_data_error: mispriced.events > 0 ? mispriced.caught_1h / mispriced.events : null,
    data_error_posts: dataErrorPosts,
    aftermath_hours: AFTERMATH_HOURS,
    delays,
  };
}

/** Several runs' evaluations as one (sums, and medians over the pooled delays). */
export function poolEvaluations(runs: readonly Evaluation[], windows: readonly EvaluationWindow[]): Evaluation {
  const delays = Object.fromEntries(EVENT_TYPES.map((t) => [t, runs.flatMap((r) => r.delays[t])])) as Record<EventType, number[]>;
  const sum = (f: (r: Evaluation) => number) => runs.reduce((a, r) => a + f(r), 0);
  const types = Object.fromEntries(
    EVENT_TYPES.map((t) => [t, { events: sum((r) => r.types[t].events), caught_1h: sum((r) => r.types[t].caught_1h), caught_2h: sum((r) => r.types[t].caught_2h), caught_24h: sum((r) => r.types[t].caught_24h), median_delay_h: median(delays[t]) }]),
  ) as Record<EventType, TypeFigures>;
  const posted = sum((r) => r.alerts_posted);
  const trueAlerts = sum((r) => r.alerts_true);
  const poolDays = windows.reduce((a, w) => a + (w.pools / 1000) * ((w.to - w.from + HOUR) / 86400), 0);
  return {
    types,
    alerts_posted: posted,
    alerts_true: trueAlerts,
    alert_precision: posted > 0 ? trueAlerts / posted : null,
    false_alerts: posted - trueAlerts,
    false_by_type: runs.reduce<Record<string, number>>((acc, r) => {
      for (const [t, n] of Object.entries(r.false_by_type)) acc[t] = (acc[t] ?? 0) + n;
      return acc;
    }, {}),
    alerts_per_1000_pools_day: poolDays > 0 ? (posted - trueAlerts) / poolDays : 0,
    mispriced_as_data_error: types.mispriced_token.events > 0 ? types.mispriced_token.caught_1h / types.mispriced_token.events : null,
    data_error_posts: sum((r) => r.data_error_posts),
    aftermath_hours: AFTERMATH_HOURS,
    delays,
  };
}
