/** Text helpers for the report's HTML: escaping and locale-independent number and time formats. */

/** Text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON that is safe inside <script type="application/json">: every `<`, `>` and `&` as a \u escape,
 * so no `</script>` or `<!--` in the data can end the element; JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** 1234567 -> "1,234,567" (the same on every machine, unlike toLocaleString). */
export function formatInt(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A fraction with fixed decimals, or a dash for an undefined metric. */
export function formatFraction(x: number | null, digits = 3): string {
  return x === null ? '–' : x.toFixed(digits);
}

/** Unix seconds as "2026-10-01 13:00 UTC". */
export function formatHour(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An ISO time as "2026-10-31 01:00:07 UTC" (seconds kept, milliseconds dropped). */
export function formatIsoTime(isoTime: string): string {
  return `${new Date(isoTime).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Seconds as "41.3 s" or "2 min 05 s". */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.floor(s - m * 60)).padStart(2, '0')} s`;
}
