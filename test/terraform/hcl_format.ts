/**
 * The layout `terraform fmt` gives HCL, checked without a terraform binary (neither npm nor
 * Debian ships one): two spaces per nesting level, the `=` of adjacent one-line attributes
 * aligned one space after the longest name (hclwrite's rule: a blank line, a comment, a line
 * opening or closing a bracket ends the group), no tabs or trailing spaces, one final newline.
 * Heredoc bodies are left alone, as fmt leaves them.
 */

interface LineInfo {
  readonly text: string;
  /** The indentation fmt gives the line, in spaces. */
  readonly indent: number;
  /** Column of a top-level `=` whose right side is a whole expression, else -1. */
  readonly assignAt: number;
  readonly inHeredoc: boolean;
}

/** Scans one line, skipping strings (with `${...}` interpolations holding strings of their own). */
function scanLine(text: string): { net: number; assignAt: number } {
  let net = 0;
  let firstEquals = -1;
  let assignAt = -1;
  const stack: ('str' | 'interp')[] = [];
  let interpDepth: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (top === 'str') {
      if (c === '\\') i++;
      else if (c === '"') stack.pop();
      else if (c === '$' && text[i + 1] === '{') {
        stack.push('interp');
        interpDepth.push(0);
        i++;
      }
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) break;
    if (c === '"') {
      stack.push('str');
      continue;
    }
    if (top === 'interp') {
      if (c === '{') interpDepth[interpDepth.length - 1]!++;
      else if (c === '}') {
        if (interpDepth[interpDepth.length - 1] === 0) {
          stack.pop();
          interpDepth = interpDepth.slice(0, -1);
        } else interpDepth[interpDepth.length - 1]!--;
      }
      continue;
    }
    if ('{[('.includes(c)) net++;
    else if ('}])'.includes(c)) net--;
    else if (c === '=' && firstEquals < 0 && net === 0 && !'=<>!'.includes(text[i - 1] ?? '') && !'=>'.includes(text[i + 1] ?? '')) firstEquals = i;
  }
  if (firstEquals > 0) {
    // hclwrite aligns an assignment only when its right side opens no bracket it does not close.
    const rest = scanLine(`x ${text.slice(firstEquals + 1)}`);
    if (rest.net === 0) assignAt = firstEquals;
  }
  return { net, assignAt };
}

/**
 * hclwrite's indentation: a line opening brackets on net adds one level however many it opens
 * (`toset([` is one level); closing pops levels by the brackets each level opened.
 */
function analyse(source: string): LineInfo[] {
  const lines = source.split('\n');
  const out: LineInfo[] = [];
  const levels: number[] = [];
  let heredoc: string | undefined;
  for (const text of lines) {
    if (heredoc !== undefined) {
      out.push({ text, indent: -1, assignAt: -1, inHeredoc: true });
      if (text.trim() === heredoc) heredoc = undefined;
      continue;
    }
    const scan = scanLine(text);
    let indent = 2 * levels.length;
    if (scan.net > 0) levels.push(scan.net);
    else if (scan.net < 0) {
      let closed = -scan.net;
      while (closed > 0 && levels.length > 0) {
        const top = levels[levels.length - 1]!;
        if (closed >= top) {
          closed -= top;
          levels.pop();
        } else {
          levels[levels.length - 1] = top - closed;
          closed = 0;
        }
      }
      indent = 2 * levels.length;
    }
    out.push({ text, indent, assignAt: scan.assignAt, inHeredoc: false });
    const marker = /<<-?([A-Z_]+)\s*$/.exec(text);
    if (marker) heredoc = marker[1];
  }
  return out;
}

/** Problems in words (`file:line: what`), [] when the file is laid out as terraform fmt would. */
export function formatProblems(file: string, source: string): string[] {
  const problems: string[] = [];
  if (!source.endsWith('\n') || source.endsWith('\n\n')) problems.push(`${file}: must end with exactly one newline`);
  const lines = analyse(source.endsWith('\n') ? source.slice(0, -1) : source);
  let chain: { line: number; lead: number; at: number }[] = [];
  const closeChain = () => {
    const longest = Math.max(...chain.map((c) => c.lead));
    for (const c of chain) if (c.at !== longest + 1) problems.push(`${file}:${c.line}: '=' at column ${c.at + 1}, expected ${longest + 2} (aligned with its neighbours)`);
    chain = [];
  };
  lines.forEach((l, i) => {
    const n = i + 1;
    if (l.inHeredoc) {
      if (chain.length > 0) closeChain();
      return;
    }
    if (/\t/.test(l.text)) problems.push(`${file}:${n}: tab`);
    if (/\s+$/.test(l.text)) problems.push(`${file}:${n}: trailing whitespace`);
    if (l.text.trim() !== '') {
      const expected = l.indent;
      const actual = l.text.length - l.text.trimStart().length;
      if (actual !== expected) problems.push(`${file}:${n}: indented ${actual}, expected ${expected}`);
    }
    if (l.assignAt > 0) chain.push({ line: n, lead: l.text.slice(0, l.assignAt).trimEnd().length, at: l.assignAt });
    else if (chain.length > 0) closeChain();
  });
  if (chain.length > 0) closeChain();
  return problems;
}
