import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEYWORD_SLOTS, writeKeywords } from './keywords.js';

function keywords(text: string): Record<string, number> {
  const out = new Float32Array(KEYWORD_SLOTS.length);
  writeKeywords(text.toLowerCase(), out, 0);
  return Object.fromEntries(KEYWORD_SLOTS.map((s, i) => [s.name, out[i]!]));
}

function only(text: string): string[] {
  const k = keywords(text);
  return Object.keys(k).filter((n) => k[n]! > 0);
}

test('each weakness class is recognised in its common spellings', () => {
  const cases: [string, string][] = [
    ['allows remote code execution', 'kw.code_execution'],
    ['to execute arbitrary commands via the host argument', 'kw.code_execution'],
    ['leads to os command injection', 'kw.code_execution'],
    ['a local user can escalate privileges', 'kw.privilege_escalation'],
    ['Windows Kernel Elevation of Privilege Vulnerability', 'kw.privilege_escalation'],
    ['an authentication bypass in the login form', 'kw.auth_bypass'],
    ['contains hard-coded credentials', 'kw.auth_bypass'],
    ['Missing Authorization vulnerability', 'kw.auth_bypass'],
    ['leads to sql injection', 'kw.sql_injection'],
    ['Stored Cross-Site Scripting (XSS)', 'kw.xss_csrf'],
    ['Cross-Site Request Forgery due to missing nonce validation', 'kw.xss_csrf'],
    ['can cause a denial of service (DoS)', 'kw.denial_of_service'],
    ['a NULL pointer dereference crashes the daemon', 'kw.denial_of_service'],
    ['to obtain sensitive information', 'kw.information_disclosure'],
    ['stores the password in cleartext', 'kw.information_disclosure'],
    ['a heap-based buffer overflow', 'kw.memory_corruption'],
    ['use-after-free in the renderer', 'kw.memory_corruption'],
    ['an out-of-bounds write', 'kw.memory_corruption'],
    ['path traversal allows reading files via ../ sequences', 'kw.file_access'],
    ['unrestricted upload of file with dangerous type', 'kw.file_access'],
    ['server-side request forgery (SSRF)', 'kw.server_side'],
    ['deserialization of untrusted data', 'kw.server_side'],
  ];
  for (const [text, slot] of cases)
    assert.ok(only(text).includes(slot), `${text} -> ${slot} (got ${only(text).join(', ')})`);
});

test('counts saturate: one mention 0.5, two 0.75', () => {
  assert.equal(keywords('SQL injection')['kw.sql_injection'], 0.5);
  assert.equal(keywords('SQL injection and blind SQL injection')['kw.sql_injection'], 0.75);
});

test('negated mentions are dropped; unrelated text fires nothing', () => {
  assert.deepEqual(only('This issue does not allow remote code execution.'), []);
  assert.deepEqual(only('The weather in Paris is mild in spring.'), []);
  assert.deepEqual(only('random dose of doses'), [], 'word boundaries: "dose" is not "dos"');
});
