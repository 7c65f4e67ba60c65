import { ALERT_TYPE_WORDS as TYPE_WORDS, SEVERITIES_BY_URGENCY, SEVERITY_EMOJI, SEVERITY_RANK } from '../alerting/vocabulary';
import type { AlertCandidate } from './alert_candidate';
import { poolLinks } from './pool_links';

/** The Block Kit subset the messages use (plain JSON, as chat.postMessage takes it). */
export type TextObject = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji?: boolean } }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

/** A message ready for any notifier: `text` is the plain fallback (notifications, screen readers). */
export interface AlertMessage {
  readonly kind: 'alert' | 'data_error' | 'digest';
  readonly text: string;
  readonly blocks: SlackBlock[];
  /** The alerts the message carries, so delivery status is updated for each. */
  readonly alertIds: string[];
}

/** An alert as recorded: the candidate plus its id and the first hour of its episode. */
export type AlertRecord = AlertCandidate & { readonly alert_id: string; readonly episode_start: number };

const DEX_NAMES: Readonly<Record<string, string>> = { uniswap: 'Uniswap', sushiswap: 'Sushi', sushi: 'Sushi' };

const threeDigits = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const twoDigits = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 });

/** A number as people read it: three significant digits, thousands separated. */
export function formatNumber(value: number | null): string {
  return value === null ? 'n/a' : threeDigits.format(value);
}

/** 'top 0.1 %' for the 99.9th percentile. */
export function describeRarity(percentile: number): string {
  return `top ${twoDigits.format(Math.max(100 - percentile, 0))} %`;
}

/** An hour (unix seconds) as '2026-11-24 05:00 UTC'. */
export function formatHour(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** One fact in words: 'TVL fell 94 % in 2 h', 'volume 38x its usual hour'; unknown names as 'name: value'. */
export function describeFact(name: string, value: number): string {
  const change = /^(tvl|price|volume)_change_(\d+)h$/.exec(name);
  if (change) {
    const what = change[1] === 'tvl' ? 'TVL' : change[1]!;
    return `${what} ${value < 0 ? 'fell' : 'rose'} ${formatNumber(Math.abs(value) * 100)} % in ${change[2]!} h`;
  }
  const usual = /^(volume|swaps|fees)_vs_usual$/.exec(name);
  if (usual) return `${usual[1]!} ${value >= 10 ? Math.round(value) : formatNumber(value)}x ${usual[1] === 'swaps' ? 'their' : 'its'} usual hour`;
  if (name === 'price_deviation') return `price ${formatNumber(Math.abs(value) * 100)} % off the market reference`;
  return `${name}: ${formatNumber(value)}`;
}

/** Every fact in words, in the candidate's order; the score is left out: each message shows it once, on its own. */
export function describeFacts(facts: Readonly<Record<string, number>>): string {
  return Object.entries(facts).filter(([k]) => k !== 'score').map(([k, v]) => describeFact(k, v)).join('; ');
}

/** Slack rejects a header longer than 150 characters. */
function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: text.length > 150 ? `${text.slice(0, 149)}…` : text, emoji: true } };
}

function dexName(dex: string): string {
  return DEX_NAMES[dex] ?? dex;
}

function poolTitle(a: AlertRecord): string {
  return a.pair ?? shortPool(a.pool_id);
}

function shortPool(poolId: string): string {
  return poolId.length > 14 ? `${poolId.slice(0, 8)}…${poolId.slice(-4)}` : poolId;
}

function protocolVersion(a: AlertRecord): 'v2' | 'v3' {
  return a.protocol_version ?? (/(^|-)v2(-|$)/.test(a.source) ? 'v2' : 'v3');
}

function linksLine(a: AlertRecord): string {
  const links = poolLinks(a.dex, a.chain, a.pool_id, protocolVersion(a));
  return [links.dex, links.explorer].filter((l) => l !== undefined).map((l) => `<${l.url}|${l.label}>`).join(' · ');
}

function featureLines(a: AlertRecord): string {
  return a.top_features.map((f) => `• \`${f.feature}\`: ${formatNumber(f.value)} (usual ${formatNumber(f.baseline)}), contribution ${formatNumber(f.contribution)}`).join('\n');
}

function footer(a: AlertRecord): SlackBlock {
  const links = linksLine(a);
  return { type: 'context', elements: [{ type: 'mrkdwn', text: `${links ? `${links} · ` : ''}model ${a.model_version} · alert ${a.alert_id}` }] };
}

/** One market anomaly: what happened in words, how unusual, why (top features), where to look. */
export function buildAlertMessage(a: AlertRecord): AlertMessage {
  const where = `${dexName(a.dex)} (${a.chain})`;
  const happened = describeFacts(a.facts);
  const rarity = describeRarity(a.score_percentile);
  const blocks: SlackBlock[] = [
    header(`${TYPE_WORDS[a.alert_type]}: ${poolTitle(a)} on ${where}`),
    { type: 'section', text: { type: 'mrkdwn', text: `${SEVERITY_EMOJI[a.severity]} *${a.severity.toUpperCase()}* · ${formatHour(a.hour_ts)}\n*What happened:* ${happened || 'the model found this hour unusual for this pool'}` } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Pool*\n${poolTitle(a)} \`${a.pool_id}\`` },
        { type: 'mrkdwn', text: `*Score*\n${formatNumber(a.score)} (threshold ${formatNumber(a.threshold)}), ${rarity}` },
      ],
    },
  ];
  if (a.top_features.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Top features (this hour vs the pool's usual)*\n${featureLines(a)}` } });
  blocks.push(footer(a));
  const text = `[${a.severity.toUpperCase()}] ${TYPE_WORDS[a.alert_type]}: ${poolTitle(a)} on ${where}, ${formatHour(a.hour_ts)}${happened ? `: ${happened}` : ''}. Score ${formatNumber(a.score)}, ${rarity}.`;
  return { kind: 'alert', text, blocks, alertIds: [a.alert_id] };
}

/** What the past-only data-error flag means (the mart's is_data_error_now), when no fact says more. */
const DATA_ERROR_WORDS = "a token's USD price in this pool is 10x or more off its recent prices, or the source reports an impossible value (negative TVL, USD volume zero with token volume)";

/** A data error (e.g. a mispriced token): said plainly to be about the data, never a market move. */
export function buildDataErrorMessage(a: AlertRecord): AlertMessage {
  const where = `${dexName(a.dex)} (${a.chain})`;
  const happened = describeFacts(a.facts);
  const blocks: SlackBlock[] = [
    header(`Data error, not a market move: ${poolTitle(a)} on ${where}`),
    { type: 'section', text: { type: 'mrkdwn', text: `:warning: ${formatHour(a.hour_ts)} · pool \`${a.pool_id}\`\n*What looks wrong:* ${happened || DATA_ERROR_WORDS}\nThis pool-hour's numbers come from bad source data; check the token prices before trusting them.` } },
  ];
  if (a.top_features.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Features affected*\n${featureLines(a)}` } });
  blocks.push(footer(a));
  const text = `Data error (not a market anomaly): ${poolTitle(a)} on ${where}, ${formatHour(a.hour_ts)}: ${happened || DATA_ERROR_WORDS}.`;
  return { kind: 'data_error', text, blocks, alertIds: [a.alert_id] };
}

/** Most severe first, then highest score: the order a person should read alerts in. */
export function byUrgency(a: AlertRecord, b: AlertRecord): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.score - a.score || (a.alert_id < b.alert_id ? -1 : 1);
}

/** Many pools alerting at once, as one message: counts, then the `shown` most urgent, one line each. */
export function buildDigestMessage(alerts: readonly AlertRecord[], shown = 10): AlertMessage {
  const sorted = [...alerts].sort(byUrgency);
  const hours = [...new Set(sorted.map((a) => a.hour_ts))].sort((x, y) => x - y);
  const when = hours.length === 1 ? `at ${formatHour(hours[0]!)}` : `between ${formatHour(hours[0]!)} and ${formatHour(hours[hours.length - 1]!)}`;
  const counts = SEVERITIES_BY_URGENCY.map((s) => [s, sorted.filter((a) => a.severity === s).length] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');
  const lines = sorted.slice(0, shown).map((a) => {
    const happened = describeFacts(a.facts);
    const links = linksLine(a);
    return `${SEVERITY_EMOJI[a.severity]} *${poolTitle(a)}* ${dexName(a.dex)} (${a.chain}): ${TYPE_WORDS[a.alert_type].toLowerCase()}${happened ? `, ${happened}` : ''}; score ${formatNumber(a.score)} (${describeRarity(a.score_percentile)})${links ? ` · ${links}` : ''}`;
  });
  const more = sorted.length - lines.length;
  const blocks: SlackBlock[] = [
    header(`${sorted.length} pools alerted ${when}`),
    { type: 'section', text: { type: 'mrkdwn', text: `*${counts}*. Most urgent first:` } },
    // One section per pool: a section's text is limited to 3000 characters, ten lines with links are not.
    ...lines.map((line): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: line } })),
  ];
  if (more > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${more} more in dex_anomaly.alerts` }] });
  const models = [...new Set(sorted.map((a) => a.model_version))].sort().join(', ');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `model ${models}` }] });
  const top = sorted.slice(0, 3).map((a) => `${poolTitle(a)} ${TYPE_WORDS[a.alert_type].toLowerCase()} (${formatNumber(a.score)})`).join(', ');
  const text = `${sorted.length} pools alerted ${when}: ${counts}. Most urgent: ${top}${sorted.length > 3 ? ', …' : ''}.`;
  return { kind: 'digest', text, blocks, alertIds: sorted.map((a) => a.alert_id) };
}
