import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEYWORD_RULES } from './keywords.js';
import { PATTERN_RULES } from './patterns.js';
import { countRules, negatedAt, type TextRule } from './rules.js';

/** countRules as first written, on `matchAll`: the reference the exec loop must match. */
function countWithMatchAll(lower: string, rules: readonly TextRule[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const rule of rules) counts.set(rule.name, counts.get(rule.name) ?? 0);
  for (const rule of rules) {
    for (const m of lower.matchAll(rule.pattern)) {
      let target = rule.name;
      if (rule.negated !== undefined && negatedAt(lower, m.index)) {
        if (rule.negated === 'drop') continue;
        target = rule.negated;
      }
      counts.set(target, (counts.get(target) ?? 0) + 1);
    }
  }
  return counts;
}

const TEXTS = [
  '',
  'a remote, unauthenticated attacker can execute arbitrary code. cvss 3.1 base score 9.8 (cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h).',
  'this does not require user interaction; the issue was classified as critical and is not a vulnerability.',
  'sql injection in admin/login.php via the id parameter allows authenticated users to read the database. 😀 x',
];

test('countRules counts as matchAll does, for the shipped keyword and pattern rules', () => {
  for (const text of TEXTS) {
    for (const rules of [KEYWORD_RULES, PATTERN_RULES]) {
      assert.deepEqual([...countRules(text, rules)], [...countWithMatchAll(text, rules)], text);
    }
  }
});

test('countRules steps over empty matches as matchAll does (by code point under u)', () => {
  const rules: TextRule[] = [
    { name: 'empty', description: '', pattern: /x*/g },
    { name: 'empty-u', description: '', pattern: /(?:)/gu },
  ];
  for (const text of ['', 'axxb', 'a😀b😀']) {
    assert.deepEqual([...countRules(text, rules)], [...countWithMatchAll(text, rules)], text);
  }
  assert.equal(countRules('a😀b', rules).get('empty-u'), 4); // before a, 😀, b and at the end
});

test('countRules refuses a pattern without the g flag (matchAll does too)', () => {
  assert.throws(() => countRules('x', [{ name: 'x', description: '', pattern: /x/ }]), TypeError);
});
