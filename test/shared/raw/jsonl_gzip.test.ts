import { gzipSync } from 'node:zlib';
import { decodeJsonlGzip, decodeJsonlGzipAsync, encodeJsonlGzip, encodeJsonlGzipAsync } from '../../../shared/raw/jsonl_gzip';

const rows = Array.from({ length: 300 }, (_, i) => ({ entity_id: `0x${i.toString(16)}-1`, volume_usd: String(i * 1.5), note: i % 7 === 0 ? 'ünïcode ✓' : null }));

test('the thread-pool encoder writes the very bytes of the synchronous one (the checksum a manifest names)', async () => {
  for (const sample of [rows, rows.slice(0, 1), []]) {
    const sync = encodeJsonlGzip(sample);
    expect((await encodeJsonlGzipAsync(sample)).equals(sync)).toBe(true);
    expect(decodeJsonlGzip(sync)).toEqual(sample);
    expect(await decodeJsonlGzipAsync(sync)).toEqual(sample);
  }
});

test('the thread-pool decoder refuses what the synchronous one refuses', async () => {
  const whole = encodeJsonlGzip(rows);
  const truncated = whole.subarray(0, whole.length >> 1);
  expect(() => decodeJsonlGzip(truncated)).toThrow('unexpected end of file');
  await expect(decodeJsonlGzipAsync(truncated)).rejects.toThrow('unexpected end of file');
  const notJson = gzipSync('{"a":1}\nnot json\n');
  expect(() => decodeJsonlGzip(notJson)).toThrow(SyntaxError);
  await expect(decodeJsonlGzipAsync(notJson)).rejects.toThrow(SyntaxError);
});
