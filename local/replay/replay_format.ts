/**
 * The replay format (docs/replay-format.md): recorded subgraph responses as JSONL, one folder per
 * subgraph kind, one file per hourly entity collection, one entity per line exactly as the
 * subgraph returns it to the fetch query. Pure: text in, validated rows or an error naming the
 * file, the line and the field.
 */
import * as z from 'zod';
import { InvalidInputError } from '../../shared/errors';
import { HOUR_SECONDS } from '../../shared/hours';
import { SUBGRAPH_KINDS, type SubgraphKind } from '../../shared/subgraph/kinds';
import { pairHourRowSchema, poolHourRowSchema } from '../../shared/subgraph/row_schemas';

/** A replay folder that cannot be read as the documented format. */
export class ReplayFormatError extends InvalidInputError {}

/** The one collection file each kind holds: the GraphQL collection the fetch query reads. */
export const REPLAY_FILES: Readonly<Record<SubgraphKind, string>> = {
  'uniswap-v3': 'poolHourDatas.jsonl',
  'sushiswap-v3': 'poolHourDatas.jsonl',
  'sushiswap-v2': 'pairHourDatas.jsonl',
};

const wholeHour = (field: string) => z.number().int().refine((t) => t % HOUR_SECONDS === 0, `must be a whole UTC hour in unix seconds (a multiple of 3600), e.g. 1641553200 for ${field}`);

/**
 * One line of `<uniswap-v3|sushiswap-v3>/poolHourDatas.jsonl`: a PoolHourData with the fields the
 * fetch query selects (the same zod schema the fetch validates with; extra fields are ignored).
 */
export const replayPoolHourSchema = poolHourRowSchema.extend({ periodStartUnix: wholeHour('periodStartUnix') });
/** One line of `sushiswap-v2/pairHourDatas.jsonl`: a PairHourData with the fields the fetch query selects. */
export const replayPairHourSchema = pairHourRowSchema.extend({ hourStartUnix: wholeHour('hourStartUnix') });

export type ReplayPoolHour = z.infer<typeof replayPoolHourSchema>;
export type ReplayPairHour = z.infer<typeof replayPairHourSchema>;

/** The rows of one kind, oldest first (ties by id), with the hour read from the entity. */
export interface ReplayKindRows {
  readonly kind: SubgraphKind;
  readonly rows: readonly (ReplayPoolHour | ReplayPairHour)[];
  /** Unix seconds of each row's hour, in the same order as `rows`. */
  readonly hours: readonly number[];
}

export interface ReplayRecording {
  /** Kinds with at least one row, in SUBGRAPH_KINDS order. */
  readonly kinds: readonly ReplayKindRows[];
  /** First and last hour with a row, over all kinds (unix seconds of the hour's start). */
  readonly firstHour: number;
  readonly lastHour: number;
  /** Distinct pools (pairs) per kind, summed. */
  readonly pools: number;
}

export function hourOf(row: ReplayPoolHour | ReplayPairHour): number {
  return 'periodStartUnix' in row ? row.periodStartUnix : row.hourStartUnix;
}

function poolOf(row: ReplayPoolHour | ReplayPairHour): string {
  return ('pool' in row ? row.pool.id : row.pair.id).toLowerCase();
}

/**
 * Parses one collection file of a kind. Blank lines are skipped; the first bad line fails with
 * `<file> line <n>: ...` naming the field and what was expected, and a repeated id fails too.
 */
export function parseReplayFile(kind: SubgraphKind, text: string, fileLabel: string): ReplayKindRows {
  const schema = kind === 'sushiswap-v2' ? replayPairHourSchema : replayPoolHourSchema;
  const rows: (ReplayPoolHour | ReplayPairHour)[] = [];
  const lineOfId = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.length === 0) continue;
    const where = `${fileLabel} line ${String(i + 1)}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ReplayFormatError(`${where}: not a JSON object (${(err as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ReplayFormatError(`${where}: expected one JSON object per line, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `field '${issue.path.join('.') || '(row)'}': ${issue.message}`);
      throw new ReplayFormatError(`${where}: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? ` (and ${String(issues.length - 3)} more)` : ''}`);
    }
    const id = parsed.data.id.toLowerCase();
    const earlier = lineOfId.get(id);
    if (earlier !== undefined) throw new ReplayFormatError(`${where}: field 'id': '${parsed.data.id}' repeats line ${String(earlier)} (an entity appears once)`);
    lineOfId.set(id, i + 1);
    rows.push(parsed.data);
  }
  rows.sort((a, b) => hourOf(a) - hourOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { kind, rows, hours: rows.map(hourOf) };
}

/** The recording of every kind's rows; fails when no kind has a row. */
export function assembleRecording(kinds: readonly ReplayKindRows[], dirLabel: string): ReplayRecording {
  const present = SUBGRAPH_KINDS.map((k) => kinds.find((r) => r.kind === k)).filter((r): r is ReplayKindRows => r !== undefined && r.rows.length > 0);
  if (present.length === 0) throw new ReplayFormatError(`${dirLabel} holds no entities: expected ${expectedFiles()} with one entity per line (see docs/replay-format.md)`);
  const firsts = present.map((r) => r.hours[0]!);
  const lasts = present.map((r) => r.hours[r.hours.length - 1]!);
  const pools = present.reduce((n, r) => n + new Set(r.rows.map(poolOf)).size, 0);
  return { kinds: present, firstHour: Math.min(...firsts), lastHour: Math.max(...lasts), pools };
}

/** "uniswap-v3/poolHourDatas.jsonl, sushiswap-v2/pairHourDatas.jsonl or sushiswap-v3/poolHourDatas.jsonl" */
export function expectedFiles(): string {
  const names = SUBGRAPH_KINDS.map((k) => `${k}/${REPLAY_FILES[k]}`);
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]!}`;
}

/** The recording cut to its newest `days` days (ending at its last hour); all of it without `days`. */
export function newestDays(recording: ReplayRecording, days: number | undefined): ReplayRecording {
  if (days === undefined) return recording;
  const from = recording.lastHour - (days * 24 - 1) * HOUR_SECONDS;
  if (from <= recording.firstHour) return recording;
  const kinds = recording.kinds.map((k) => {
    const start = k.hours.findIndex((h) => h >= from);
    const keep = start === -1 ? k.hours.length : start;
    return { kind: k.kind, rows: k.rows.slice(keep), hours: k.hours.slice(keep) };
  });
  return assembleRecording(kinds, 'the replay');
}
