import { endianness } from 'node:os';

// The model file stores little-endian bytes; a big-endian host would need byte swapping.
if (endianness() !== 'LE') throw new Error('model files are little-endian; this host is big-endian');

export type TypedArrayKind = 'int32' | 'float64';
type ArrayOf<K extends TypedArrayKind> = K extends 'int32' ? Int32Array : Float64Array;

/** Typed array to base64 of its little-endian bytes. */
export function encodeTypedArray(arr: Int32Array | Float64Array): string {
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).toString('base64');
}

/** base64 to a typed array of `kind`, or a message saying why the bytes do not fit. */
export function decodeTypedArray<K extends TypedArrayKind>(text: string, kind: K, expectedLength: number): ArrayOf<K> | string {
  const bytes = Buffer.from(text, 'base64');
  const width = kind === 'int32' ? 4 : 8;
  if (bytes.byteLength !== expectedLength * width) {
    return `holds ${bytes.byteLength} bytes, expected ${expectedLength} ${kind} values (${expectedLength * width} bytes)`;
  }
  // Copy into a fresh, aligned buffer: Buffer.from may return a slice of a shared pool.
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return (kind === 'int32' ? new Int32Array(copy) : new Float64Array(copy)) as ArrayOf<K>;
}
