import { closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { Rng } from '../../shared/rng';

/**
 * Raw little-endian float64 matrices, row-major: the format ../shared/bench/sklearn_iforest_bench.py
 * reads with numpy.fromfile, so both implementations see the very same numbers.
 */
export function readF64(path: string): Float64Array {
  const bytes = readFileSync(path);
  if (bytes.byteLength % 8 !== 0) throw new Error(`${path}: ${bytes.byteLength} bytes is not a whole number of float64 values`);
  const out = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Streams a raw float64 file `chunkRows` rows at a time, reusing one buffer. */
export function* streamF64Rows(path: string, cols: number, chunkRows: number, maxRows = Infinity): Generator<{ values: Float64Array; rows: number }> {
  const fd = openSync(path, 'r');
  const buffer = new Float64Array(chunkRows * cols);
  const bytes = new Uint8Array(buffer.buffer);
  let done = 0;
  try {
    while (done < maxRows) {
      const want = Math.min(chunkRows, maxRows - done) * cols * 8;
      const got = readSync(fd, bytes, 0, want, null);
      if (got === 0) return;
      const rows = Math.floor(got / (cols * 8));
      done += rows;
      yield { values: buffer.subarray(0, rows * cols), rows };
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes rows x cols standard-normal values, seeded, in chunks (files can exceed memory). */
export function writeNormalF64(path: string, rows: number, cols: number, seed: number): void {
  const rng = new Rng(seed);
  const chunk = new Float64Array(65536 * cols);
  const fd = openSync(path, 'w');
  try {
    for (let done = 0; done < rows; done += 65536) {
      const n = Math.min(65536, rows - done) * cols;
      for (let k = 0; k < n; k++) chunk[k] = rng.nextNormal();
      writeFileSync(fd, new Uint8Array(chunk.buffer, 0, n * 8));
    }
  } finally {
    closeSync(fd);
  }
}
