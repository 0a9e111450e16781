/**
 * A small well-formedness checker for the Cypher the exporter writes (used by
 * its tests and by `graph export --check`): each statement starts with a known
 * clause, ends with one `;`, has terminated string literals with valid escapes
 * and no raw line breaks, terminated backtick names, and balanced (), [] and {}.
 * It is a lexer-level check, not a Cypher parser: it catches quoting and
 * escaping mistakes, which are what break a generated script.
 */

const CLAUSES = ['CREATE', 'MERGE', 'MATCH', 'UNWIND', 'WITH'];
const ESCAPES = new Set(['\\', "'", '"', 'n', 'r', 't', 'b', 'f']);
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Why `statement` is not well formed, or undefined when it is. */
export function cypherProblem(statement: string): string | undefined {
  const first = /^[A-Z]+/.exec(statement)?.[0] ?? '';
  if (!CLAUSES.includes(first)) return `starts with ${JSON.stringify(statement.slice(0, 10))}, not a clause`;
  const stack: string[] = [];
  let i = 0;
  let ended = false;
  while (i < statement.length) {
    const ch = statement[i] as string;
    if (ended) return `text after the closing ; at ${i}`;
    if (ch === "'" || ch === '"') {
      const quote = ch;
      i++;
      for (;;) {
        if (i >= statement.length) return `unterminated string at ${i}`;
        const c = statement[i] as string;
        if (c === '\n' || c === '\r') return `raw line break in a string at ${i}`;
        if (c === '\\') {
          const next = statement[i + 1] ?? '';
          if (next === 'u') {
            if (!/^[0-9a-fA-F]{4}$/.test(statement.slice(i + 2, i + 6))) return `bad \\u escape at ${i}`;
            i += 6;
            continue;
          }
          if (!ESCAPES.has(next)) return `bad escape \\${next} at ${i}`;
          i += 2;
          continue;
        }
        i++;
        if (c === quote) break;
      }
      continue;
    }
    if (ch === '`') {
      i++;
      for (;;) {
        if (i >= statement.length) return `unterminated backtick name at ${i}`;
        if (statement[i] === '`') {
          if (statement[i + 1] === '`') {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (statement[i] === '\n') return `raw line break in a name at ${i}`;
        i++;
      }
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (stack.pop() !== PAIRS[ch]) return `unbalanced ${ch} at ${i}`;
    } else if (ch === ';') {
      if (stack.length > 0) return `; inside brackets at ${i}`;
      ended = true;
    } else if (ch === '\n' || ch === '\r') return `line break outside a string at ${i}`;
    i++;
  }
  if (stack.length > 0) return `unclosed ${stack.at(-1)}`;
  if (!ended) return 'does not end with ;';
  return undefined;
}

/** Decodes a single-quoted Cypher string literal (the inverse of `cypherString`). */
export function parseCypherString(literal: string): string {
  if (!/^'.*'$/s.test(literal)) throw new Error('not a single-quoted literal');
  const body = literal.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.startsWith('u') && e.length === 5) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}
