import { AppError } from '../core/index.js';
import type { Extraction, IndicatorType } from '../extract/index.js';
import { SEVERITY_CLASSES, type SeverityClass } from '../ingest/index.js';
import {
  RECOMMENDATION_KINDS,
  RECOMMENDATION_PRIORITIES,
  type Recommendation,
  type RecommendationPriority,
} from './recommendation.js';

/** What a recommendation needs to know about a CVE in CISA KEV (the graph module's `KevEntry` has these fields). */
export interface KevFactsForAdvice {
  /** Date CISA added it, YYYY-MM-DD. */
  dateAdded: string;
  /** Remediation due date for US federal agencies (BOD 22-01), YYYY-MM-DD. */
  dueDate?: string;
  /** Known to be used in ransomware campaigns. */
  ransomware: boolean;
  vendor?: string;
  product?: string;
  /** CISA's short vulnerability name. */
  name?: string;
}

/**
 * Answers "is this CVE known to be exploited?". The graph module's
 * `loadKevLookup()` (built from the shipped catalogue) fits; tests use
 * `createKevLookup(entries)` from the same module.
 */
export interface KevLookup {
  /** The KEV facts of a CVE id (any case), or undefined when it is not in the catalogue. */
  get(cve: string): KevFactsForAdvice | undefined;
  /** CISA's catalogue version, cited in reasons when known. */
  readonly catalogVersion: string | undefined;
}

/** A mitigation of a technique, as the knowledge graph gives it (ATT&CK course-of-action). */
export interface MitigationInput {
  /** ATT&CK id, e.g. `M1050`. */
  id: string;
  name: string;
}

/** A technique the text describes, with its mitigations when the graph knows them. */
export interface TechniqueInput {
  /** ATT&CK id, e.g. `T1190` or `T1059.001`. */
  id: string;
  name?: string;
  /** Mapping confidence in [0, 1]. */
  score?: number;
  /** Absent or empty: no mitigation known (then a detection recommendation is given). */
  mitigations?: readonly MitigationInput[];
}

/** What {@link recommend} reads: the prediction and what was found in the text. */
export interface RecommendationInput {
  severity: SeverityClass;
  /** Probability of `severity`, in [0, 1]. */
  confidence: number;
  /** The extraction of the text, with warninglist flags (`extractIndicators(text, { warninglists })`). */
  extraction: Extraction;
  /** KEV lookup; absent: CVEs are listed with their KEV status unchecked. */
  kev?: KevLookup;
  /** Techniques mapped from the text (from the graph module, once it lands). */
  techniques?: readonly TechniqueInput[];
  /** Anomaly score in [0, 1], or null/absent when there is no anomaly model. */
  anomalyScore?: number | null;
}

/** Thresholds and caps of {@link recommend}; every field has a default. */
export interface RecommendOptions {
  /** Below this confidence an analyst review is recommended. Default 0.5. */
  lowConfidence?: number;
  /** At or above this anomaly score a review is recommended. Default 0.99 (1 in 100 training texts). */
  anomalyThreshold?: number;
  /** Most subjects listed per grouped recommendation, and most per-item ones (CVEs, techniques). Default 50. */
  maxSubjects?: number;
}

const SEVERITY_ADVICE: Readonly<Record<SeverityClass, { priority: RecommendationPriority; action: string }>> =
  {
    critical: {
      priority: 'urgent',
      action:
        'Treat as an emergency: apply the fix or a mitigation now and check exposed systems for compromise.',
    },
    high: {
      priority: 'high',
      action: 'Fix within days, ahead of the regular patch cycle; restrict exposure until then.',
    },
    medium: { priority: 'medium', action: 'Fix in the next regular patch cycle.' },
    low: { priority: 'low', action: 'Fix when convenient; track it in the backlog.' },
    informational: { priority: 'info', action: 'No remediation needed; keep for context.' },
  };

/** Indicator types to block at the perimeter; the rest (except CVEs and ATT&CK ids) are hunted for on hosts. */
const BLOCKABLE: ReadonlySet<IndicatorType> = new Set(['ipv4', 'ipv6', 'domain', 'url', 'email', 'cidr']);
/** Types that are not indicators of compromise: handled by the CVE and technique recommendations. */
const NOT_IOC: ReadonlySet<IndicatorType> = new Set(['cve', 'attackId']);

function checkUnit(name: string, value: number): void {
  if (!(value >= 0 && value <= 1))
    throw new AppError('CS_ERR_VALIDATION', `recommend: ${name} must be in [0, 1], got ${value}`);
}

function capped(values: readonly string[], max: number): { subjects: string[]; omitted: number } {
  return { subjects: values.slice(0, max), omitted: Math.max(0, values.length - max) };
}

function countsText(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([t, n]) => `${n} ${t}`).join(', ');
}

/**
 * Advice for one prediction: the action for the predicted severity, every CVE
 * with its CISA KEV status, indicators to block or hunt for (those on a
 * warninglist are named separately, not blocked), mitigations or detection for
 * each technique, and a review when the model is unsure or the text is unlike
 * its training data. Each recommendation carries a stable `kind`, a priority,
 * the `reason` behind it and its subjects.
 *
 * Pure and deterministic: sorted by priority, then by kind in
 * {@link RECOMMENDATION_KINDS} order, then by the order subjects appear in the text.
 *
 * @throws AppError CS_ERR_VALIDATION for an unknown severity or a confidence,
 *   anomaly score or option out of range.
 */
export function recommend(input: RecommendationInput, options: RecommendOptions = {}): Recommendation[] {
  const lowConfidence = options.lowConfidence ?? 0.5;
  const anomalyThreshold = options.anomalyThreshold ?? 0.99;
  const maxSubjects = options.maxSubjects ?? 50;
  if (!SEVERITY_CLASSES.includes(input.severity)) {
    throw new AppError('CS_ERR_VALIDATION', `recommend: unknown severity ${String(input.severity)}`);
  }
  checkUnit('confidence', input.confidence);
  checkUnit('lowConfidence', lowConfidence);
  checkUnit('anomalyThreshold', anomalyThreshold);
  if (input.anomalyScore !== undefined && input.anomalyScore !== null)
    checkUnit('anomalyScore', input.anomalyScore);
  if (!Number.isInteger(maxSubjects) || maxSubjects < 1) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      `recommend: maxSubjects must be a positive integer, got ${maxSubjects}`,
    );
  }

  const out: Recommendation[] = [];
  const sev = SEVERITY_ADVICE[input.severity];
  out.push({
    kind: 'severity-action',
    priority: sev.priority,
    action: sev.action,
    reason: `The model predicts ${input.severity} severity with probability ${input.confidence.toFixed(2)}.`,
    subjects: [],
    omitted: 0,
  });
  if (input.confidence < lowConfidence) {
    out.push({
      kind: 'low-confidence-review',
      priority: 'medium',
      action: 'Have an analyst confirm the severity before acting on it.',
      reason: `The predicted class has probability ${input.confidence.toFixed(2)}, below ${lowConfidence}: the model is unsure.`,
      subjects: [],
      omitted: 0,
    });
  }
  if (typeof input.anomalyScore === 'number' && input.anomalyScore >= anomalyThreshold) {
    out.push({
      kind: 'anomalous-input-review',
      priority: 'medium',
      action: 'Have an analyst read the text: the severity prediction may not apply to it.',
      reason: `The text is more unusual than ${(input.anomalyScore * 100).toFixed(1)}% of the texts the model was trained on.`,
      subjects: [],
      omitted: 0,
      evidence: { anomalyScore: input.anomalyScore },
    });
  }
  out.push(...cveAdvice(input, sev.priority, maxSubjects));
  out.push(...indicatorAdvice(input.extraction, maxSubjects));
  out.push(...techniqueAdvice(input.techniques ?? [], maxSubjects));

  const kindRank = new Map<string, number>(RECOMMENDATION_KINDS.map((k, i) => [k, i]));
  const priorityRank = new Map<string, number>(RECOMMENDATION_PRIORITIES.map((p, i) => [p, i]));
  // Array.prototype.sort is stable, so equal keys keep their order of appearance in the text.
  return out.sort(
    (a, b) =>
      priorityRank.get(a.priority)! - priorityRank.get(b.priority)! ||
      kindRank.get(a.kind)! - kindRank.get(b.kind)!,
  );
}

function cveAdvice(
  input: RecommendationInput,
  priority: RecommendationPriority,
  max: number,
): Recommendation[] {
  const out: Recommendation[] = [];
  const others: string[] = [];
  for (const cve of input.extraction.cves) {
    const entry = input.kev?.get(cve);
    if (entry === undefined) {
      others.push(cve);
      continue;
    }
    if (out.length >= max) continue;
    const product = [entry.vendor, entry.product].filter((x) => x !== undefined && x !== '').join(' ');
    const facts = [
      entry.name,
      `added ${entry.dateAdded}`,
      entry.dueDate && `federal remediation due ${entry.dueDate}`,
    ]
      .filter((x) => x !== undefined && x !== '')
      .join('; ');
    out.push({
      kind: 'cve-known-exploited',
      priority: 'urgent',
      action: `Remediate ${cve}${product === '' ? '' : ` (${product})`} now: apply the vendor's fix or mitigations, or take affected systems offline.`,
      reason:
        `${cve} is in CISA's Known Exploited Vulnerabilities catalogue (${facts}): it is being exploited in the wild` +
        (entry.ransomware ? ' and is known to be used in ransomware campaigns.' : '.'),
      subjects: [cve],
      omitted: 0,
      evidence: { kev: { cve, ...entry }, catalogVersion: input.kev?.catalogVersion ?? null },
    });
  }
  const kevCount = input.extraction.cves.length - others.length;
  if (kevCount > max) out[out.length - 1]!.omitted = kevCount - max;
  if (others.length > 0) {
    const { subjects, omitted } = capped(others, max);
    out.push({
      kind: 'cve-patch',
      priority,
      action: `Patch ${others.length === 1 ? others[0] : `these ${others.length} CVEs`} on the schedule of the predicted ${input.severity} severity.`,
      reason:
        input.kev === undefined
          ? 'The text names these CVEs; their CISA KEV status was not checked.'
          : `The text names these CVEs; none is in CISA's Known Exploited Vulnerabilities catalogue${
              input.kev.catalogVersion === undefined ? '' : ` (version ${input.kev.catalogVersion})`
            }, so no exploitation is known yet.`,
      subjects,
      omitted,
    });
  }
  return out;
}

function indicatorAdvice(extraction: Extraction, max: number): Recommendation[] {
  const block: string[] = [];
  const hunt: string[] = [];
  const listed: string[] = [];
  const blockTypes = new Map<string, number>();
  const huntTypes = new Map<string, number>();
  const lists = new Map<string, number>();
  const seen = new Set<string>();
  for (const m of extraction.matches) {
    if (NOT_IOC.has(m.type)) continue;
    const key = `${m.type}\u0000${m.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (m.warninglists.length > 0) {
      listed.push(m.value);
      for (const l of m.warninglists) lists.set(l.name, (lists.get(l.name) ?? 0) + 1);
    } else if (BLOCKABLE.has(m.type)) {
      block.push(m.value);
      blockTypes.set(m.type, (blockTypes.get(m.type) ?? 0) + 1);
    } else {
      hunt.push(m.value);
      huntTypes.set(m.type, (huntTypes.get(m.type) ?? 0) + 1);
    }
  }
  const out: Recommendation[] = [];
  if (block.length > 0) {
    out.push({
      kind: 'indicator-block',
      priority: 'high',
      action:
        'Block these network indicators (firewall, proxy, DNS, mail filter) and search logs for past contact.',
      reason: `The text reports ${countsText(blockTypes)} that are on no warninglist of known-benign infrastructure.`,
      ...capped(block, max),
      evidence: { types: Object.fromEntries(blockTypes) },
    });
  }
  if (hunt.length > 0) {
    out.push({
      kind: 'indicator-hunt',
      priority: 'high',
      action:
        'Hunt for these artefacts on endpoints (EDR, file and registry searches) and add them to detection rules.',
      reason: `The text reports ${countsText(huntTypes)} that are on no warninglist.`,
      ...capped(hunt, max),
      evidence: { types: Object.fromEntries(huntTypes) },
    });
  }
  if (listed.length > 0) {
    out.push({
      kind: 'indicator-warninglisted',
      priority: 'info',
      action:
        'Do not block these: they are known-benign or shared infrastructure; blocking them risks outages.',
      reason: `These values are on MISP warninglists (${[...lists.keys()].slice(0, 5).join('; ')}${lists.size > 5 ? '; ...' : ''}).`,
      ...capped(listed, max),
      evidence: { warninglists: Object.fromEntries(lists) },
    });
  }
  return out;
}

function techniqueAdvice(techniques: readonly TechniqueInput[], max: number): Recommendation[] {
  const out: Recommendation[] = [];
  for (const t of techniques.slice(0, max)) {
    const label = t.name === undefined ? t.id : `${t.id} (${t.name})`;
    const seen = t.score === undefined ? '' : ` with score ${t.score.toFixed(2)}`;
    const mitigations = t.mitigations ?? [];
    if (mitigations.length > 0) {
      const { subjects, omitted } = capped(
        mitigations.map((m) => `${m.id} ${m.name}`),
        max,
      );
      out.push({
        kind: 'technique-mitigate',
        priority: 'medium',
        action: `Apply the ATT&CK mitigations of ${label}: ${subjects.join(', ')}${omitted > 0 ? ', ...' : ''}.`,
        reason: `The text describes technique ${label}${seen}; ATT&CK lists ${mitigations.length} mitigation${mitigations.length === 1 ? '' : 's'} for it.`,
        subjects: [t.id],
        omitted: 0,
        evidence: { mitigations: mitigations.map((m) => ({ id: m.id, name: m.name })) },
      });
    } else {
      out.push({
        kind: 'technique-detect',
        priority: 'medium',
        action: `Hunt for the behaviour of ${label} and make sure a detection covers it.`,
        reason: `The text describes technique ${label}${seen}; no mitigation is known for it, so detection is the defence.`,
        subjects: [t.id],
        omitted: 0,
      });
    }
  }
  if (techniques.length > max) out[out.length - 1]!.omitted = techniques.length - max;
  return out;
}
