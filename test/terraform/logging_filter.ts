/**
 * The subset of the Cloud Logging query language our log-based metrics use, evaluated against a
 * log entry: comparisons (= != > >= < <= : =~ !~), `:*` (field present), AND / OR / NOT,
 * juxtaposition and newlines as AND, parentheses, quoted values, and severity ordering. Enough to
 * check that a metric's filter matches the lines the code writes; anything else throws.
 */
export type LogEntry = Readonly<Record<string, unknown>>;

const SEVERITIES = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'];
const OPS = ['>=', '<=', '!=', '=~', '!~', '=', '<', '>', ':'] as const;
type Op = (typeof OPS)[number];
type Token = { kind: 'lparen' | 'rparen' } | { kind: 'op'; op: Op } | { kind: 'word'; text: string } | { kind: 'string'; text: string };
type Node = { kind: 'and' | 'or'; items: Node[] } | { kind: 'not'; item: Node } | { kind: 'cmp'; path: string; op: Op; value: string };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'lparen' : 'rparen' });
      i++;
    } else if (c === '"') {
      let text = '';
      i++;
      while (i < filter.length && filter[i] !== '"') {
        if (filter[i] === '\\') i++;
        text += filter[i] ?? '';
        i++;
      }
      if (i >= filter.length) throw new Error(`unterminated string in filter: ${filter}`);
      i++;
      tokens.push({ kind: 'string', text });
    } else {
      const op = OPS.find((o) => filter.startsWith(o, i));
      if (op) {
        tokens.push({ kind: 'op', op });
        i += op.length;
        continue;
      }
      const m = /^[^\s()"=<>!:~]+/.exec(filter.slice(i));
      if (!m) throw new Error(`unexpected '${c}' at ${i} in filter: ${filter}`);
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/** Parses a filter; throws on anything outside the subset. */
export function parseLogFilter(filter: string): Node {
  const tokens = tokenize(filter);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (t: Token | undefined, text: string): boolean => t?.kind === 'word' && t.text === text;

  function or(): Node {
    const items = [and()];
    while (isWord(peek(), 'OR')) {
      pos++;
      items.push(and());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }
  function and(): Node {
    const items = [unary()];
    for (;;) {
      const t = peek();
      if (t === undefined || t.kind === 'rparen' || isWord(t, 'OR')) break;
      if (isWord(t, 'AND')) pos++;
      items.push(unary());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }
  function unary(): Node {
    if (isWord(peek(), 'NOT')) {
      pos++;
      return { kind: 'not', item: unary() };
    }
    const t = peek();
    if (t?.kind === 'lparen') {
      pos++;
      const inner = or();
      if (peek()?.kind !== 'rparen') throw new Error(`missing ')' in filter: ${filter}`);
      pos++;
      return inner;
    }
    const path = tokens[pos];
    const op = tokens[pos + 1];
    const value = tokens[pos + 2];
    if (path?.kind !== 'word' || op?.kind !== 'op' || (value?.kind !== 'word' && value?.kind !== 'string')) throw new Error(`expected <field> <op> <value> at token ${pos} of filter: ${filter}`);
    pos += 3;
    return { kind: 'cmp', path: path.text, op: op.op, value: value.text };
  }
  const node = or();
  if (pos !== tokens.length) throw new Error(`unexpected token ${pos} in filter: ${filter}`);
  return node;
}

/** The value at a dotted path of the entry (EXTRACT(path) in a metric). */
export function fieldAt(entry: LogEntry, path: string): unknown {
  let value: unknown = entry;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function compare(actual: unknown, op: Op, expected: string, path: string): boolean {
  if (actual === undefined || actual === null) return op === '!=' || op === '!~';
  const text = typeof actual === 'string' ? actual : JSON.stringify(actual);
  if (op === ':') return expected === '*' || text.toLowerCase().includes(expected.toLowerCase());
  if (op === '=~' || op === '!~') return new RegExp(expected).test(text) === (op === '=~');
  let a: number | string = text;
  let b: number | string = expected;
  if (path === 'severity') {
    a = SEVERITIES.indexOf(a);
    b = SEVERITIES.indexOf(b);
    if (a < 0 || b < 0) throw new Error(`unknown severity in ${path} ${op} ${expected}`);
  } else if (typeof actual === 'number' && expected.trim() !== '' && !Number.isNaN(Number(expected))) {
    a = actual;
    b = Number(expected);
  }
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
}

function evaluate(node: Node, entry: LogEntry): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((n) => evaluate(n, entry));
    case 'or':
      return node.items.some((n) => evaluate(n, entry));
    case 'not':
      return !evaluate(node.item, entry);
    case 'cmp':
      return compare(fieldAt(entry, node.path), node.op, node.value, node.path);
  }
}

/** Whether the entry matches the filter. */
export function matchesLogFilter(filter: string, entry: LogEntry): boolean {
  return evaluate(parseLogFilter(filter), entry);
}

/**
 * The entry Cloud Logging makes of one JSON line a Cloud Run function writes to stdout: the
 * special fields of structured logging lifted out of the payload into the entry (`severity`,
 * `httpRequest`, `logging.googleapis.com/trace` as `trace`, `logging.googleapis.com/labels` as
 * `labels`), every other field (message included) under jsonPayload. So a filter on
 * `jsonPayload.httpRequest` matches nothing, as in Cloud Logging.
 */
export function entryFromLine(line: Readonly<Record<string, unknown>>, serviceName: string): LogEntry {
  const { severity, httpRequest, 'logging.googleapis.com/trace': trace, 'logging.googleapis.com/labels': labels, ...payload } = line;
  return {
    severity: typeof severity === 'string' ? severity : 'DEFAULT',
    resource: { type: 'cloud_run_revision', labels: { service_name: serviceName } },
    ...(httpRequest === undefined ? {} : { httpRequest }),
    ...(trace === undefined ? {} : { trace }),
    ...(labels === undefined ? {} : { labels }),
    jsonPayload: payload,
  };
}

/** The value of a metric's EXTRACT(path) on an entry. */
export function extract(extractor: string, entry: LogEntry): unknown {
  const m = /^EXTRACT\(([^)]+)\)$/.exec(extractor.trim());
  if (!m) throw new Error(`unsupported extractor ${extractor}`);
  return fieldAt(entry, m[1]!);
}
