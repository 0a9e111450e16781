import type { TextRule } from './rules.js';
import { countRules } from './rules.js';
import { type SlotDefinition, saturate } from './slot.js';

/**
 * Security keyword families (slots 90-99): the weakness classes that drive
 * severity, each a set of synonyms and common spellings as CNAs write them.
 * A negated mention ("does not allow code execution") is dropped.
 */
export const KEYWORD_RULES: readonly TextRule[] = Object.freeze([
  {
    name: 'kw.code_execution',
    description:
      'Remote or arbitrary code/command execution, OS command, code, expression-language or template injection.',
    pattern:
      /\b(?:remote code execution|rce|(?:execut\w*|run|running) (?:of )?(?:arbitrary|malicious|unauthori[sz]ed|os|system|shell|remote)? ?(?:code|commands?|programs?|scripts?|java ?script)|arbitrary (?:code|commands?)|code execution|command execution|(?:os|shell|code|command|argument|expression language|template|eval) injection|ssti)\b/g,
    negated: 'drop',
  },
  {
    name: 'kw.privilege_escalation',
    description: 'Privilege escalation or elevation, gaining root/admin/system rights.',
    pattern:
      /\b(?:privilege (?:escalation|elevation)|escalat\w* (?:of )?(?:\w+ )?privileges?|elevat\w* (?:of )?(?:\w+ )?privileges?|elevation of privilege|gain(?:s|ing)? (?:root|administrator|admin|administrative|system|elevated|higher|kernel) (?:privileges|access|rights)|(?:root|kernel|system) privileges|eop|lpe)\b/g,
    negated: 'drop',
  },
  {
    name: 'kw.auth_bypass',
    description:
      'Authentication or authorisation bypass, missing or improper access control, IDOR, hard-coded or default credentials, session fixation.',
    pattern:
      /\b(?:authenticat\w* bypass|authori[sz]ation bypass|bypass(?:es|ing)? (?:the )?(?:authentication|authori[sz]ation|login|2fa|mfa|access controls?|access restrictions|security restrictions|permission checks?)|(?:missing|improper|incorrect|broken|insufficient) (?:authentication|authori[sz]ation|access control|permission checks?)|insecure direct object references?|idor|hard-?coded (?:credentials?|passwords?|keys?|secrets?)|default (?:credentials|passwords?)|session fixation|account takeover)\b/g,
    negated: 'drop',
  },
  {
    name: 'kw.sql_injection',
    description: 'SQL injection and its relatives (blind SQL, NoSQL, LDAP, XPath injection).',
    pattern:
      /\b(?:sql injection|sqli|blind sql|arbitrary sql|sql (?:commands?|queries|query|statements?)|(?:nosql|ldap|xpath|hql) injection)\b/g,
    negated: 'drop',
  },
  {
    name: 'kw.xss_csrf',
    description:
      'Cross-site scripting, cross-site request forgery, open redirect, HTML injection, clickjacking.',
    pattern:
      /\b(?:cross[- ]site scripting|xss|cross[- ]site request forgery|csrf|xsrf|open redirect(?:ion)?|html injection|clickjacking|(?:inject|injection of) (?:arbitrary |malicious )?(?:web scripts?|javascript|html)|nonce validation)\b/g,
    negated: 'drop',
  },
  {
    name: 'kw.denial_of_service',
    description:
      'Denial of service: crashes, hangs, resource exhaustion, infinite loops, NULL dereference, assertion failures, device reloads.',
    pattern:
      /\b(?:denial[- ]of[- ]service|dos|ddos|crash(?:es|ed|ing)?|(?:resource|memory|cpu|disk) exhaustion|(?:uncontrolled|excessive|unbounded) (?:resource|memory|cpu) (?:consumption|allocation|usage)|infinite (?:loop|recursion)|hang(?:s|ing)?|null pointer dereference|null dereference|reachable assertion|assertion failure|redos|unexpected (?:reload|restart|reboot)|(?:reload|restart|reboot) of (?:the|an) (?:affected )?device)\b/g,
    negated: 'drop',
  },
  {
    name: 'kw.information_disclosure',
    description:
      'Information disclosure: sensitive data exposure or leaks, reading restricted data, cleartext storage or transmission, uninitialised memory.',
    pattern:
      /\b(?:information disclosure|disclos\w+ (?:of )?(?:sensitive|confidential|private|internal)|(?:sensitive|confidential|private) (?:information|data)|information (?:exposure|leak\w*)|exposure of (?:sensitive|private|confidential)|data (?:leak\w*|exposure)|(?:read|access|obtain|view|retrieve|extract|exfiltrate) (?:arbitrary|sensitive|restricted|private|confidential) (?:files?|data|information)|cleartext|plain ?text (?:passwords?|storage|transmission)|memory disclosure|uninitiali[sz]ed memory|unauthori[sz]ed read access)\b/g,
    negated: 'drop',
  },
  {
    name: 'kw.memory_corruption',
    description:
      'Memory-safety flaws: buffer/heap/stack overflows, out-of-bounds writes and reads, use-after-free, double free, integer overflow, type confusion, format strings.',
    pattern:
      /\b(?:buffer (?:overflow|overrun|underflow)|(?:heap|stack|global)[- ]based (?:buffer )?(?:overflow|overrun)|(?:heap|stack) (?:overflow|corruption|exhaustion)|out[- ]of[- ]bounds? (?:write|read|access|memory)|use[- ]after[- ]free|double[- ]free|integer (?:overflow|underflow|wraparound)|memory corruption|type confusion|(?:wild|dangling) pointer|format string|off[- ]by[- ]one|untrusted pointer|write[- ]what[- ]where|uaf)\b/g,
    negated: 'drop',
  },
  {
    name: 'kw.file_access',
    description:
      'File-system abuse: path/directory traversal, arbitrary file upload/read/write/deletion, local or remote file inclusion, zip slip, symlink attacks.',
    pattern:
      /\b(?:(?:path|directory) traversal|arbitrary (?:file|files) (?:upload|read|reading|write|writing|deletion|download|creation|overwrite|access|inclusion)|(?:upload|read|write|delete|overwrite|create|download|include) (?:of )?arbitrary (?:files?|php files?)|(?:local|remote) file inclusion|lfi|rfi|unrestricted (?:file )?upload|upload (?:of )?(?:malicious|dangerous) files?|zip ?slip|symlink attack|symbolic link|link following)\b|\.\.\//g,
    negated: 'drop',
  },
  {
    name: 'kw.server_side',
    description:
      'Server-side weaknesses: SSRF, XML external entities, unsafe deserialisation, prototype pollution, request smuggling.',
    pattern:
      /\b(?:server[- ]side request forgery|ssrf|xml external entit(?:y|ies)|xxe|deseriali[sz]\w*|unseriali[sz]\w*|untrusted data deseriali[sz]ation|prototype pollution|request smuggling|xml injection)\b/g,
    negated: 'drop',
  },
]);

/** The keyword family's slots, derived from {@link KEYWORD_RULES}. */
export const KEYWORD_SLOTS: readonly SlotDefinition[] = Object.freeze(
  KEYWORD_RULES.map((r) => ({
    name: r.name,
    description: r.description,
    range: [0, 1] as const,
    normalisation: 'saturating match count 1 - 0.5^n (1 match 0.5, 2 matches 0.75)',
  })),
);

/** Writes the keyword slots for `lower` into `out` from `offset`. */
export function writeKeywords(lower: string, out: Float32Array, offset: number): void {
  const counts = countRules(lower, KEYWORD_RULES);
  KEYWORD_RULES.forEach((rule, k) => {
    out[offset + k] = saturate(counts.get(rule.name) ?? 0);
  });
}
