/** Small HTML readers for the report tests (the report is ours, so regular markup is enough). */

const VOID = new Set(['meta', 'br', 'img', 'input', 'link', 'hr', 'wbr', 'source']);

/** The markup with the contents of <script> and <style> elements removed (their tags kept). */
export function markupOnly(html: string): string {
  return html.replace(/(<script\b[^>]*>)[\s\S]*?(<\/script>)/gi, '$1$2').replace(/(<style\b[^>]*>)[\s\S]*?(<\/style>)/gi, '$1$2');
}

/** Every unbalanced tag, in order: empty when each element opened is closed in the right order. */
export function unbalancedTags(html: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of markupOnly(html).matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
    const name = m[2]!.toLowerCase();
    if (VOID.has(name)) continue;
    if (m[1] === '') stack.push(name);
    else if (stack[stack.length - 1] === name) stack.pop();
    else problems.push(`</${name}> closes <${stack[stack.length - 1] ?? 'nothing'}>`);
  }
  return [...problems, ...stack.map((s) => `<${s}> never closed`)];
}

/** Text of the <script type="application/json" id="..."> element. */
export function jsonScript(html: string, id: string): string {
  const m = new RegExp(`<script type="application/json" id="${id}">([\\s\\S]*?)</script>`).exec(html);
  if (!m) throw new Error(`no JSON script #${id}`);
  return m[1]!;
}

/** [attribute, value] of every src and href in the markup. */
export function urlAttributes(html: string): { tag: string; attribute: string; value: string }[] {
  const out: { tag: string; attribute: string; value: string }[] = [];
  for (const tag of markupOnly(html).matchAll(/<[a-zA-Z][^>]*>/g)) {
    for (const a of tag[0].matchAll(/\s(src|href)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)) out.push({ tag: tag[0], attribute: a[1]!.toLowerCase(), value: a[3] ?? a[4] ?? a[5] ?? '' });
  }
  return out;
}
