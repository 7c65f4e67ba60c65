import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

/**
 * A stack trace with the bundle's positions turned into TypeScript ones, the source map read on
 * first use. Node's own source-map support (process.setSourceMapsEnabled) parses a bundle's whole
 * map as the bundle loads, which was about a twentieth of serve's cold start; an instance that
 * never logs an unexpected error now never reads it. Frames of other files, and every frame when
 * there is no map beside the running file (tests, tsx), are kept as they are.
 */
export function sourceMappedStack(err: Error, bundlePath: string = __filename): string {
  const stack = err.stack ?? `${err.name}: ${err.message}`;
  const map = mapOf(bundlePath);
  if (!map) return stack;
  const escaped = bundlePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return stack.replace(new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g'), (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!('originalSource' in entry)) return whole;
    return `${entry.originalSource.replace(/^(\.\.\/)+/, '')}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

const maps = new Map<string, SourceMap | null>();

function mapOf(bundlePath: string): SourceMap | undefined {
  let map = maps.get(bundlePath);
  if (map === undefined) {
    const path = `${bundlePath}.map`;
    try {
      map = existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null;
    } catch {
      // A stack without TypeScript positions beats no log line.
      map = null;
    }
    maps.set(bundlePath, map);
  }
  return map ?? undefined;
}
