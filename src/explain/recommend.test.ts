import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../core/index.js';
import { extractIndicators, WarninglistIndex, warninglistFileFromMisp } from '../extract/index.js';
import { createKevLookup } from '../graph/index.js';
import { recommend } from './recommend.js';
import { RECOMMENDATION_KINDS, type Recommendation } from './recommendation.js';

// Facts of one CISA KEV entry (catalogue 2025.08.25, CC0), in the graph module's lookup.
const kev = createKevLookup(
  [
    {
      cve: 'CVE-2021-44228',
      dateAdded: '2021-12-10',
      dueDate: '2021-12-24',
      ransomware: true,
      vendor: 'Apache',
      product: 'Log4j2',
      name: 'Apache Log4j2 Remote Code Execution Vulnerability',
    },
  ],
  '2025.08.25',
);

const warninglists = WarninglistIndex.build(
  warninglistFileFromMisp(
    [
      {
        id: 'public-dns-v4',
        list: {
          name: 'List of known IPv4 public DNS resolvers',
          description: 'Public DNS',
          type: 'cidr',
          list: ['8.8.8.8/32'],
        },
      },
      {
        id: 'empty-hashes',
        list: {
          name: 'List of known hashes for empty files',
          description: 'Empty files',
          type: 'string',
          list: ['d41d8cd98f00b204e9800998ecf8427e'],
        },
      },
    ],
    'test',
  ),
);

const REPORT =
  'The actor exploited CVE-2021-44228 and CVE-2024-0001 on exposed servers, then called back to ' +
  '203.0.113.77 and cdn-updates[.]top (resolving via 8.8.8.8). Dropped file hash ' +
  '0123456789abcdef0123456789abcdef, and an empty marker d41d8cd98f00b204e9800998ecf8427e.';

const kinds = (rs: readonly Recommendation[]) => rs.map((r) => r.kind);

test('a critical report gets KEV, patch, block, hunt and warninglist advice, each with a reason', () => {
  const extraction = extractIndicators(REPORT, { warninglists });
  const rs = recommend({ severity: 'critical', confidence: 0.91, extraction, kev });
  assert.deepEqual(kinds(rs), [
    'cve-known-exploited',
    'severity-action',
    'cve-patch',
    'indicator-block',
    'indicator-hunt',
    'indicator-warninglisted',
  ]);
  for (const r of rs) {
    assert.ok(RECOMMENDATION_KINDS.includes(r.kind));
    assert.ok(r.reason.length > 20 && r.action.length > 10, r.kind);
  }
  const kevRec = rs[0]!;
  assert.deepEqual(kevRec.subjects, ['CVE-2021-44228']);
  assert.match(
    kevRec.reason,
    /Known Exploited Vulnerabilities.*added 2021-12-10; federal remediation due 2021-12-24.*ransomware/,
  );
  assert.match(kevRec.action, /\(Apache Log4j2\)/);
  assert.equal(kevRec.priority, 'urgent');
  const patch = rs.find((r) => r.kind === 'cve-patch')!;
  assert.deepEqual(patch.subjects, ['CVE-2024-0001']);
  assert.match(
    patch.reason,
    /none is in CISA's Known Exploited Vulnerabilities catalogue \(version 2025\.08\.25\)/,
  );
  assert.equal(patch.priority, 'urgent', 'follows the critical severity');
  const block = rs.find((r) => r.kind === 'indicator-block')!;
  assert.deepEqual(block.subjects, ['203.0.113.77', 'cdn-updates.top']);
  const hunt = rs.find((r) => r.kind === 'indicator-hunt')!;
  assert.deepEqual(hunt.subjects, ['0123456789abcdef0123456789abcdef']);
  const listed = rs.find((r) => r.kind === 'indicator-warninglisted')!;
  assert.deepEqual(listed.subjects, ['8.8.8.8', 'd41d8cd98f00b204e9800998ecf8427e']);
  assert.match(listed.reason, /public DNS resolvers/);
});

test('without a KEV lookup CVEs are listed as unchecked; low severity lowers the patch priority', () => {
  const extraction = extractIndicators('Fixed CVE-2021-44228 in the docs.');
  const rs = recommend({ severity: 'low', confidence: 0.8, extraction });
  assert.deepEqual(kinds(rs), ['severity-action', 'cve-patch']);
  assert.equal(rs[1]!.priority, 'low');
  assert.match(rs[1]!.reason, /not checked/);
});

test('low confidence and anomalous text add review advice; techniques get mitigations or detection', () => {
  const extraction = extractIndicators('Phishing with a malicious attachment.');
  const rs = recommend(
    {
      severity: 'medium',
      confidence: 0.41,
      extraction,
      anomalyScore: 0.995,
      techniques: [
        {
          id: 'T1566.001',
          name: 'Spearphishing Attachment',
          score: 0.83,
          mitigations: [
            { id: 'M1049', name: 'Antivirus/Antimalware' },
            { id: 'M1017', name: 'User Training' },
          ],
        },
        { id: 'T1204', name: 'User Execution' },
      ],
    },
    { lowConfidence: 0.5 },
  );
  assert.deepEqual(kinds(rs), [
    'severity-action',
    'low-confidence-review',
    'anomalous-input-review',
    'technique-mitigate',
    'technique-detect',
  ]);
  const mit = rs.find((r) => r.kind === 'technique-mitigate')!;
  assert.deepEqual(mit.subjects, ['T1566.001']);
  assert.match(mit.action, /M1049 Antivirus\/Antimalware, M1017 User Training/);
  assert.match(mit.reason, /score 0\.83/);
  // A lookup without a catalogue version, and a KEV entry with few facts.
  const bare = recommend({
    severity: 'high',
    confidence: 0.9,
    extraction: extractIndicators('CVE-2024-0001 and CVE-2024-0002'),
    kev: createKevLookup([{ cve: 'CVE-2024-0001', dateAdded: '2024-02-01', ransomware: false }]),
  });
  assert.deepEqual(kinds(bare), ['cve-known-exploited', 'severity-action', 'cve-patch']);
  assert.match(bare[0]!.reason, /catalogue \(added 2024-02-01\): it is being exploited in the wild\.$/);
  assert.match(bare[2]!.reason, /catalogue, so no exploitation/);
  // Below the thresholds: no review advice.
  const calm = recommend({ severity: 'medium', confidence: 0.7, extraction, anomalyScore: 0.5 });
  assert.deepEqual(kinds(calm), ['severity-action']);
});

test('subject lists are capped and the rest counted; results are deterministic', () => {
  const ips = Array.from({ length: 12 }, (_, i) => `198.51.100.${i + 1}`).join(', ');
  const extraction = extractIndicators(`Scanners: ${ips}.`);
  const rs = recommend({ severity: 'high', confidence: 0.9, extraction }, { maxSubjects: 5 });
  const block = rs.find((r) => r.kind === 'indicator-block')!;
  assert.equal(block.subjects.length, 5);
  assert.equal(block.omitted, 7);
  assert.deepEqual(recommend({ severity: 'high', confidence: 0.9, extraction }, { maxSubjects: 5 }), rs);
});

test('invalid input is refused', () => {
  const extraction = extractIndicators('');
  const bad = (fn: () => unknown) => assert.throws(fn, (e: unknown) => isAppError(e, 'CS_ERR_VALIDATION'));
  bad(() => recommend({ severity: 'severe' as 'high', confidence: 0.5, extraction }));
  bad(() => recommend({ severity: 'high', confidence: 1.5, extraction }));
  bad(() => recommend({ severity: 'high', confidence: Number.NaN, extraction }));
  bad(() => recommend({ severity: 'high', confidence: 0.5, extraction, anomalyScore: -0.1 }));
  bad(() => recommend({ severity: 'high', confidence: 0.5, extraction }, { maxSubjects: 0 }));
});
