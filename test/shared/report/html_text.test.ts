import { escapeHtml, formatFraction, formatHour, formatInt, formatIsoTime, formatSeconds, jsonForScript } from '../../../shared/report/html_text';

test('escapeHtml escapes the five characters that matter in text and attributes', () => {
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('jsonForScript: no <, > or & left, and JSON.parse reads the value back', () => {
  const value = { name: '</script><!-- & -->', line: 'a\u2028b\u2029c', n: [1.5, null] };
  const text = jsonForScript(value);
  expect(text).not.toMatch(/[<>&\u2028\u2029]/);
  expect(text).toBe('{"name":"\\u003c/script\\u003e\\u003c!-- \\u0026 --\\u003e","line":"a\\u2028b\\u2029c","n":[1.5,null]}');
  expect(JSON.parse(text)).toEqual(value);
});

test.each([
  [0, '0'],
  [999, '999'],
  [1000, '1,000'],
  [1234567.4, '1,234,567'],
  [-98765, '-98,765'],
])('formatInt(%p) = %p', (n, text) => {
  expect(formatInt(n)).toBe(text);
});

test.each([
  [0, '0.0 s'],
  [41.34, '41.3 s'],
  [90, '1 min 30 s'],
  [119.9, '1 min 59 s'],
  [3725, '62 min 05 s'],
])('formatSeconds(%p) = %p', (s, text) => {
  expect(formatSeconds(s)).toBe(text);
});

test('formatFraction and formatHour', () => {
  expect([formatFraction(0.61249), formatFraction(null), formatFraction(1, 2)]).toEqual(['0.612', '–', '1.00']);
  expect(formatHour(Date.UTC(2026, 9, 19, 22) / 1000)).toBe('2026-10-19 22:00 UTC');
  expect(formatIsoTime('2026-10-31T01:00:07.123Z')).toBe('2026-10-31 01:00:07 UTC');
  expect(formatIsoTime('2026-10-31T03:00:07+02:00')).toBe('2026-10-31 01:00:07 UTC');
});
