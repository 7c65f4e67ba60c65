/**
 * The small part of BigQuery scripting that Dataform's pre_operations and post_operations use
 * here (`DECLARE name TYPE DEFAULT expr;` and plain statements), for engines without scripting:
 * Dataform runs an action's pre-operations, main statement and post-operations as one BigQuery
 * script; the local runner evaluates each DECLARE once and writes its value into every later
 * statement as a literal, so the filters stay constants (DuckDB prunes hive partitions on them).
 */

export interface Declaration {
  readonly name: string;
  /** The BigQuery type name as written (TIMESTAMP, INT64, STRING, ...). */
  readonly type: string;
  readonly defaultSql: string;
}

/**
 * Splits a script into statements at top-level semicolons; comments are dropped, and semicolons
 * or quotes inside strings, quoted names or comments do not split.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end;
      continue;
    }
    if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end < 0 ? script.length : end + 2;
      current += ' ';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(script, i);
      current += script.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (c === ';') {
      if (current.trim() !== '') statements.push(current.trim());
      current = '';
      i++;
      continue;
    }
    current += c;
    i++;
  }
  if (current.trim() !== '') statements.push(current.trim());
  return statements;
}

/** Index of the quote closing the one at `open` (a backslash escapes; a doubled quote too). */
function closingQuote(sql: string, open: number): number {
  const q = sql[open]!;
  for (let i = open + 1; i < sql.length; i++) {
    if (sql[i] === '\\') {
      i++;
      continue;
    }
    if (sql[i] === q) {
      if (sql[i + 1] === q) {
        i++;
        continue;
      }
      return i;
    }
  }
  return sql.length - 1;
}

const DECLARE = /^DECLARE\s+([A-Za-z_]\w*)\s+([A-Za-z_]\w*)\s+DEFAULT\s+([\s\S]+)$/i;

/** The declaration a statement makes, or undefined for any other statement. */
export function parseDeclaration(statement: string): Declaration | undefined {
  const m = DECLARE.exec(statement.trim());
  return m ? { name: m[1]!, type: m[2]!.toUpperCase(), defaultSql: m[3]!.trim() } : undefined;
}

/**
 * Replaces each declared name (a whole identifier, outside strings and quoted names, not after a
 * dot) by its literal. Names are matched case-insensitively, as BigQuery resolves them.
 */
export function bindVariables(sql: string, literals: ReadonlyMap<string, string>): string {
  if (literals.size === 0) return sql;
  const byLower = new Map([...literals].map(([k, v]) => [k.toLowerCase(), v]));
  return rewriteCode(sql, (code) => code.replace(/(?<![\w.])([A-Za-z_]\w*)(?!\w)/g, (word: string) => byLower.get(word.toLowerCase()) ?? word));
}

/**
 * The SQL without its comments (strings and quoted names kept): the dialect rewrite pairs quotes
 * across the whole text, and an apostrophe in a comment would shift it.
 */
export function stripComments(sql: string): string {
  return splitStatements(sql).join(';\n');
}

/** Applies `rewrite` to the code of `sql` only: strings, quoted names and comments stay as they are. */
function rewriteCode(sql: string, rewrite: (code: string) => string): string {
  let out = '';
  let code = '';
  let i = 0;
  const keep = (end: number) => {
    out += rewrite(code) + sql.slice(i, end);
    code = '';
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      keep(end < 0 ? sql.length : end);
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      keep(end < 0 ? sql.length : end + 2);
    } else if (c === "'" || c === '"' || c === '`') {
      keep(closingQuote(sql, i) + 1);
    } else {
      code += c;
      i++;
    }
  }
  return out + rewrite(code);
}

/** A literal of `type` holding `text` (the value cast to STRING by the engine), or a typed NULL. */
export function typedLiteral(type: string, text: string | null): string {
  if (text === null) return `CAST(NULL AS ${type})`;
  return `CAST('${text.replace(/'/g, "''")}' AS ${type})`;
}
