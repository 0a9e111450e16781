/**
 * Weak supervision for the informational class: labelling functions (LFs)
 * that vote "informational" on texts that describe no threat, and the
 * measurement of each LF's coverage and precision on labelled data.
 *
 * CVE records almost never carry CVSS NONE (30 of 32,214, and those are
 * scoring slips on real vulnerabilities), so the informational class is learnt
 * from texts outside the CVE list that these functions pick out.
 */

/** A labelling function: votes informational (true) or abstains (false). */
export interface LabellingFunction {
  name: string;
  /** What it looks for, for the data card. */
  description: string;
  vote(text: string): boolean;
}

/** Stems whose presence means the text talks about a threat, a flaw or an attack. */
const THREAT_RE =
  /\b(vulnerab|exploit|attack|malicious|malware|ransom|trojan|backdoor|overflow|inject|execut|bypass|privilege|escalat|compromis|leak|disclos|crash|denial|dos\b|xss|csrf|ssrf|rce\b|unauthori[sz]|payload|credential|password|phish|infect|steal|stole|exfiltrat|c2\b|command[- ]and[- ]control|beacon|persisten|lateral|spoof|hijack|tamper|forg|brute|dump|keylog|rootkit|botnet|worm|spyware|threat actor|adversar|intrusion|breach|cve-\d)/i;

const NO_IMPACT_RE =
  /\b(?:no|without any|without) (?:security |exploitable )?(?:impact|risk|implications?)\b|\bnot (?:a|considered a|considered to be a) (?:security )?(?:vulnerability|issue|risk)\b|\bdoes not (?:pose|present|represent|constitute) a (?:security )?(?:risk|vulnerability|threat)\b|\bhas no (?:security )?impact\b|\bpurely informational\b/i;

const ADVICE_RE =
  /^(?:use|configure|ensure|restrict|enable|disable|apply|consider|monitor|audit|limit|prevent|block|update|upgrade|patch|implement|train|require|remove|deploy|establish|enforce|review|maintain|educate)\b/i;

/** The labelling functions, in the order their votes are recorded. */
export const LABELLING_FUNCTIONS: readonly LabellingFunction[] = Object.freeze([
  {
    name: 'no-threat-vocabulary',
    description:
      'at least 6 words and none of ~60 threat, flaw or attack stems (vulnerab, exploit, attack, malware, inject, bypass, credential, ...)',
    vote: (text: string) => text.split(/\s+/).length >= 6 && !THREAT_RE.test(text),
  },
  {
    name: 'states-no-impact',
    description:
      'states that there is no security impact or no vulnerability ("has no security impact", "not a vulnerability")',
    vote: (text: string) => NO_IMPACT_RE.test(text),
  },
  {
    name: 'advice-without-threat',
    description:
      'starts with an imperative of defensive advice (use, configure, restrict, patch, ...) and names no threat',
    vote: (text: string) => ADVICE_RE.test(text.trim()) && !THREAT_RE.test(text),
  },
]);

/** Coverage and precision of one labelling function on one labelled set. */
export interface LfMeasurement {
  lf: string;
  /** Name of the labelled set. */
  set: string;
  /** Texts in the set. */
  n: number;
  /** Texts the function voted on. */
  fired: number;
  /** Of those, texts whose gold label is informational. */
  correct: number;
  /** correct / fired; null when it never fired. */
  precision: number | null;
}

/**
 * Measures every labelling function on a labelled set, where `isInformational`
 * gives the gold answer for each text.
 */
export function measureLabellingFunctions(
  set: string,
  items: Iterable<{ text: string; isInformational: boolean }>,
  lfs: readonly LabellingFunction[] = LABELLING_FUNCTIONS,
): LfMeasurement[] {
  const m = lfs.map((lf) => ({
    lf: lf.name,
    set,
    n: 0,
    fired: 0,
    correct: 0,
    precision: null as number | null,
  }));
  for (const it of items) {
    lfs.forEach((lf, i) => {
      const r = m[i] as LfMeasurement;
      r.n++;
      if (lf.vote(it.text)) {
        r.fired++;
        if (it.isInformational) r.correct++;
      }
    });
  }
  for (const r of m) r.precision = r.fired === 0 ? null : r.correct / r.fired;
  return m;
}

/** Names of the functions that vote informational on `text`. */
export function informationalVotes(
  text: string,
  lfs: readonly LabellingFunction[] = LABELLING_FUNCTIONS,
): string[] {
  return lfs.filter((lf) => lf.vote(text)).map((lf) => lf.name);
}
