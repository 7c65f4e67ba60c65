/**
 * The one vocabulary of alerts: their types and severities in the words the policy decides in,
 * the tables store (pool_scores, alerts), Slack shows, the report draws and serve answers. Nothing
 * maps one spelling to another; a new type or severity is added here and the compiler finds every
 * place that must show it.
 */
export const ALERT_TYPES = ['volume_spike', 'liquidity_drain', 'rug_pull', 'data_error', 'anomaly'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** The types the typed rules raise (the forest alone raises `anomaly`, the data checks `data_error`). */
export type RuleAlertType = Extract<AlertType, 'rug_pull' | 'liquidity_drain' | 'volume_spike'>;

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Most urgent first: the order of posts under the hour's cap, of a digest, of a person's reading. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** Severities most urgent first. */
export const SEVERITIES_BY_URGENCY: readonly Severity[] = [...SEVERITIES].sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b]);

/** A type in words, as a message's title starts. */
export const ALERT_TYPE_WORDS: Readonly<Record<AlertType, string>> = {
  volume_spike: 'Volume spike',
  liquidity_drain: 'Liquidity drain',
  rug_pull: 'Possible rug pull',
  data_error: 'Data error',
  anomaly: 'Unusual activity',
};

/** Slack's emoji for a severity. */
export const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' };

/** The report's colour for a severity. */
export const SEVERITY_COLOUR: Readonly<Record<Severity, string>> = { critical: '#a50026', warning: '#f46d43', info: '#fdae61' };

/** Whether a stored value is one of the severities. */
export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}
