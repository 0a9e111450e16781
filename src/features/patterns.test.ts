import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cvssBaseScoreFromText, statedCvssScore } from './cvss.js';
import { PATTERN_RULES, PATTERN_SLOTS, writePatterns } from './patterns.js';

function patterns(text: string): Record<string, number> {
  const out = new Float32Array(PATTERN_RULES.length);
  writePatterns(text.toLowerCase(), out, 0);
  return Object.fromEntries(PATTERN_SLOTS.map((s, i) => [s.name, out[i]!]));
}

/** Names of the flag slots that fired. */
function fired(text: string): string[] {
  const p = patterns(text);
  return Object.keys(p).filter((k) => p[k] === 1 && k !== 'pat.cvss_score');
}

test('CVSS v3.1 base scores from vectors match the specification examples', () => {
  const cases: [string, number][] = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', 5.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N', 4.3],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6],
    ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H', 9.1],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ];
  for (const [vector, score] of cases) {
    assert.equal(cvssBaseScoreFromText(`see (${vector.toLowerCase()}).`), score, vector);
  }
  assert.equal(cvssBaseScoreFromText('cvss:3.1/av:n/ac:l'), undefined, 'incomplete vectors are ignored');
});

test('a stated score wins over the vector; the slot is score / 10', () => {
  assert.equal(statedCvssScore('cvss 3.1 base score 7.5 (confidentiality impacts).'), 7.5);
  assert.equal(statedCvssScore('it has a cvssv3 score of 8.8.'), 8.8);
  assert.equal(statedCvssScore('base score: 10.0'), 10);
  assert.equal(statedCvssScore('cvss score 4.3 (cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h)'), 4.3);
  assert.equal(statedCvssScore('version 7.5 of the product'), undefined);
  assert.equal(statedCvssScore('the cvss score may be lower.'), undefined);
  assert.ok(
    Math.abs(
      patterns('CVSS 3.1 Base Score 9.8 (Confidentiality, Integrity and Availability impacts).')[
        'pat.cvss_score'
      ]! - 0.98,
    ) < 1e-6,
  );
  assert.ok(
    Math.abs(patterns('Vector: CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H')['pat.cvss_score']! - 0.55) <
      1e-6,
  );
  assert.equal(patterns('no score here')['pat.cvss_score'], 0);
});

test('stated ratings in the ways CNAs write them', () => {
  assert.ok(
    fired('A vulnerability classified as critical has been found in Foo.').includes('pat.stated_critical'),
  );
  assert.ok(
    fired('A vulnerability, which was classified as problematic, was found.').includes('pat.stated_medium'),
  );
  assert.ok(fired('(Chromium security severity: High)').includes('pat.stated_high'));
  assert.ok(fired('(Chromium security severity: Low)').includes('pat.stated_low'));
  assert.ok(!fired('Missing authentication for critical function.').includes('pat.stated_critical'));
});

test('attack vector hints: remote, local, adjacent/physical, and vector fragments', () => {
  assert.ok(fired('allows remote attackers to execute code').includes('pat.remote'));
  assert.ok(fired('It is possible to initiate the attack remotely.').includes('pat.remote'));
  assert.ok(fired('An unauthenticated, remote attacker could').includes('pat.remote'));
  assert.ok(fired('allows local users to gain privileges').includes('pat.local'));
  assert.ok(fired('high privileged attacker with logon to the infrastructure').includes('pat.local'));
  assert.ok(fired('An attack has to be approached locally.').includes('pat.local'));
  assert.ok(fired('an attacker on the same network segment').includes('pat.adjacent_physical'));
  assert.ok(fired('requires physical access to the device').includes('pat.adjacent_physical'));
  assert.ok(fired('cvss:3.1/av:a/ac:l/pr:n/ui:n/s:u/c:h/i:n/a:n').includes('pat.adjacent_physical'));
  assert.ok(
    !fired('remote code execution').includes('pat.remote'),
    '"remote code execution" is not a vector statement',
  );
});

test('privileges: unauthenticated, low, high; a negated requirement counts as unauthenticated', () => {
  assert.ok(
    fired('Authentication is not required to exploit this vulnerability.').includes('pat.unauthenticated'),
  );
  assert.ok(fired('allows unauthenticated attackers to').includes('pat.unauthenticated'));
  assert.deepEqual(
    fired('The attack does not require authentication.').filter(
      (n) => n.includes('privileges') || n.includes('auth'),
    ),
    ['pat.unauthenticated'],
  );
  assert.ok(fired('authenticated attackers with contributor-level access').includes('pat.low_privileges'));
  assert.ok(
    !fired('allows unauthenticated attackers').includes('pat.low_privileges'),
    'word boundary: un-authenticated',
  );
  assert.ok(
    fired('An authenticated, local attacker with administrator-level privileges').includes(
      'pat.high_privileges',
    ),
  );
  assert.ok(fired('requires administrator privileges').includes('pat.high_privileges'));
  assert.ok(
    !fired('execute code with root privileges').includes('pat.high_privileges'),
    'an impact, not a requirement',
  );
});

test('user interaction: required, not required, and negated requirement', () => {
  assert.ok(
    fired('User interaction is required to exploit this vulnerability.').includes('pat.user_interaction'),
  );
  assert.ok(fired('a victim must open a malicious file').includes('pat.user_interaction'));
  assert.ok(
    fired('if they can trick a site administrator into clicking a link').includes('pat.user_interaction'),
  );
  const none = fired('No user interaction is required.');
  assert.ok(none.includes('pat.no_user_interaction'));
  assert.ok(!none.includes('pat.user_interaction'));
  assert.ok(fired('exploitable without user interaction').includes('pat.no_user_interaction'));
});

test('versions, exploit availability, fixes, impact, complexity, context, scope, disputes', () => {
  assert.ok(fired('versions up to, and including, 6.1').includes('pat.version_range'));
  assert.ok(fired('Foo before 2.4.1 allows').includes('pat.version_range'));
  assert.ok(fired('1.2.3 and earlier').includes('pat.version_range'));
  assert.ok(!fired('version 2.4.1 is affected').includes('pat.version_range'));
  const p = patterns('Affects 1.0, 1.1 and 2.0.3.');
  assert.ok(p['pat.version_mentions']! > 0 && p['pat.version_mentions']! < 1);
  assert.ok(
    fired('The exploit has been disclosed to the public and may be used.').includes('pat.public_exploit'),
  );
  assert.ok(fired('The vendor was contacted early but did not respond in any way.').includes('pat.no_fix'));
  assert.ok(fired('can result in takeover of the server').includes('pat.full_compromise'));
  assert.ok(fired('unauthorized read access to a subset of data').includes('pat.limited_impact'));
  assert.ok(fired('The complexity of an attack is rather high.').includes('pat.high_complexity'));
  assert.ok(fired('Easily exploitable vulnerability allows').includes('pat.low_complexity'));
  assert.ok(fired('via a specially crafted request').includes('pat.crafted_input'));
  assert.ok(fired('via the id parameter of admin.php').includes('pat.web_application'));
  assert.ok(fired('The Foo plugin for WordPress').includes('pat.cms_plugin'));
  assert.ok(fired('In the Linux kernel, the following vulnerability').includes('pat.os_kernel_firmware'));
  assert.ok(fired('may allow a sandbox escape').includes('pat.scope_change'));
  assert.ok(fired('** DISPUTED ** the vendor disputes this').includes('pat.disputed'));
  assert.ok(fired('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').includes('pat.cvss_vector'));
});

test('plain text fires nothing; every value is within its slot range', () => {
  assert.deepEqual(fired('The quick brown fox jumps over the lazy dog.'), []);
  const out = new Float32Array(PATTERN_RULES.length);
  writePatterns('v1.2 '.repeat(5000), out, 0);
  PATTERN_SLOTS.forEach((s, i) => {
    assert.ok(out[i]! >= s.range[0] && out[i]! <= s.range[1], s.name);
  });
});
