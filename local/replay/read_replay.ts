import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SUBGRAPH_KINDS, type SubgraphKind } from '../../shared/subgraph/kinds';
import { assembleRecording, expectedFiles, parseReplayFile, REPLAY_FILES, ReplayFormatError, type ReplayKindRows, type ReplayRecording } from './replay_format';

export interface ReadReplay {
  readonly recording: ReplayRecording;
  /** SHA-256 over the files read (names and bytes): what a store made from this replay remembers. */
  readonly digest: string;
}

/**
 * Reads a replay folder (docs/replay-format.md). Fails with one line naming the folder, file,
 * line and field: a missing folder, an unknown entry, an empty folder, a bad line.
 */
export function readReplayDir(dir: string): ReadReplay {
  const root = resolve(dir);
  if (!existsSync(root)) throw new ReplayFormatError(`replay folder ${root} does not exist`);
  if (!statSync(root).isDirectory()) throw new ReplayFormatError(`replay folder ${root} is not a folder`);
  const hash = createHash('sha256');
  const kinds: ReplayKindRows[] = [];
  for (const entry of readdirSync(root).sort()) {
    if (entry.startsWith('.') || entry.toLowerCase().endsWith('.md')) continue;
    if (!(SUBGRAPH_KINDS as readonly string[]).includes(entry)) throw new ReplayFormatError(`${join(root, entry)}: unknown entry; a replay folder holds only ${SUBGRAPH_KINDS.join(', ')} (and a README.md)`);
    const kind = entry as SubgraphKind;
    const kindDir = join(root, kind);
    for (const file of readdirSync(kindDir).sort()) {
      if (file !== REPLAY_FILES[kind]) throw new ReplayFormatError(`${join(kindDir, file)}: unknown file; ${kind}/ holds only ${REPLAY_FILES[kind]}`);
      const path = join(kindDir, file);
      const bytes = readFileSync(path);
      hash.update(`${kind}/${file}\n`).update(bytes);
      kinds.push(parseReplayFile(kind, bytes.toString('utf8'), path));
    }
  }
  if (kinds.length === 0) throw new ReplayFormatError(`replay folder ${root} is empty: expected ${expectedFiles()} (see docs/replay-format.md)`);
  return { recording: assembleRecording(kinds, `replay folder ${root}`), digest: hash.digest('hex') };
}
