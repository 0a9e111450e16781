import { SEVERITY_CLASSES, type SeverityClass } from '../../model/index.js';
import type { FeedbackSelectionSettings } from '../settings.js';

/** A feedback item with what selection needs (the store's feedback plus the source of its prediction). */
export interface FeedbackInput {
  id: string;
  createdAt: number;
  text: string;
  correctLabel: string;
  analyst: string | null;
  apiKeyId: string | null;
  /** Source of the prediction it answers, when known. */
  source: string | null;
}

/** One training or evaluation example made from feedback. */
export interface FeedbackExample {
  /** Stable id: `feedback:<id of the newest item of this text>`. */
  id: string;
  text: string;
  label: SeverityClass;
  source: string | null;
  /** Loss weight: the feedback weight times the share of the text's feedback agreeing with `label`. */
  weight: number;
  /** Newest feedback time of the text. */
  createdAt: number;
}

/** What selection did, for the job result and the manifest. */
export interface FeedbackSelectionReport {
  received: number;
  invalidLabel: number;
  /** Items about a text of the gate's holdout (never trained on, to keep the holdout clean). */
  holdoutTexts: number;
  /** Distinct texts after deduplication. */
  distinctTexts: number;
  /** Texts whose items disagree on the label (majority kept). */
  conflicts: number;
  /** Texts left out by the per-analyst, per-key and per-source caps. */
  capped: { analyst: number; apiKey: number; source: number };
  train: number;
  recent: number;
}

/** The outcome of {@link selectFeedback}. */
export interface FeedbackSelection {
  /** Examples to train the candidate on (older feedback). */
  train: FeedbackExample[];
  /** The newest feedback, held out of training, to compare candidate and active on. */
  recent: FeedbackExample[];
  report: FeedbackSelectionReport;
}

/** Normalised text key for duplicate detection: NFKC, lower case, white space collapsed. */
export function textKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

interface Group {
  key: string;
  items: FeedbackInput[];
}

interface Candidate extends FeedbackExample {
  analysts: string[];
  apiKeys: string[];
}

/**
 * Keeps, newest first, each text whose analyst names, API keys and source are
 * all still under their cap: max(capMinItems, ⌊share · n⌋) texts of the n in
 * the part (the analyst share for names and keys, the source share for
 * sources). So no analyst, key or source supplies more than its share of the
 * part, however much it sends. Items with no analyst name, no key (authentication off) or no
 * source are not capped on that dimension (they are no single contributor). Returns the kept texts oldest first and how many
 * each kind of cap left out (a text counts against the first cap it hits).
 */
function applyCaps(
  part: readonly Candidate[],
  settings: FeedbackSelectionSettings,
): { kept: Candidate[]; dropped: { analyst: number; apiKey: number; source: number } } {
  const n = part.length;
  const allowed = {
    analyst: Math.max(settings.capMinItems, Math.floor(settings.maxAnalystShare * n)),
    apiKey: Math.max(settings.capMinItems, Math.floor(settings.maxAnalystShare * n)),
    source: Math.max(settings.capMinItems, Math.floor(settings.maxSourceShare * n)),
  };
  const used = new Map<string, number>();
  const dropped = { analyst: 0, apiKey: 0, source: 0 };
  const kept: Candidate[] = [];
  for (const e of [...part].sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))) {
    const groups: [keyof typeof allowed, string[]][] = [
      ['analyst', e.analysts.map((x) => `a:${x}`)],
      ['apiKey', e.apiKeys.map((x) => `k:${x}`)],
      ['source', e.source === null ? [] : [`s:${e.source}`]],
    ];
    const hit = groups.find(([kind, keys]) => keys.some((k) => (used.get(k) ?? 0) >= allowed[kind]));
    if (hit !== undefined) {
      dropped[hit[0]]++;
      continue;
    }
    for (const [, keys] of groups) for (const k of keys) used.set(k, (used.get(k) ?? 0) + 1);
    kept.push(e);
  }
  kept.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  return { kept, dropped };
}

/**
 * Turns stored feedback into training and gate examples: drops unknown labels
 * and texts of the gate's holdout, merges items about the same text (majority
 * label, ties to the newest, weight scaled by agreement), holds the newest
 * `recentShare` out for the gate, and caps every analyst name, API key and
 * source at its share of each part. Pure and deterministic.
 */
export function selectFeedback(
  items: readonly FeedbackInput[],
  settings: FeedbackSelectionSettings,
  holdoutKeys: ReadonlySet<string> = new Set(),
): FeedbackSelection {
  let invalidLabel = 0;
  let holdoutTexts = 0;
  const groups = new Map<string, Group>();
  for (const item of items) {
    if (!(SEVERITY_CLASSES as readonly string[]).includes(item.correctLabel)) {
      invalidLabel++;
      continue;
    }
    const key = textKey(item.text);
    if (holdoutKeys.has(key)) {
      holdoutTexts++;
      continue;
    }
    const g = groups.get(key) ?? { key, items: [] };
    g.items.push(item);
    groups.set(key, g);
  }
  let conflicts = 0;
  const merged: Candidate[] = [];
  for (const g of groups.values()) {
    g.items.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    const votes = new Map<string, { n: number; newest: number }>();
    for (const [i, it] of g.items.entries()) {
      const v = votes.get(it.correctLabel) ?? { n: 0, newest: -1 };
      votes.set(it.correctLabel, { n: v.n + 1, newest: i });
    }
    if (votes.size > 1) conflicts++;
    const [label, vote] = [...votes.entries()].sort(
      (a, b) => b[1].n - a[1].n || b[1].newest - a[1].newest,
    )[0]!;
    const newest = g.items[g.items.length - 1]!;
    merged.push({
      id: `feedback:${newest.id}`,
      text: newest.text,
      label: label as SeverityClass,
      source: newest.source,
      weight: settings.feedbackWeight * (vote.n / g.items.length),
      createdAt: newest.createdAt,
      // Items without an analyst name, key (authentication off) or source are not lumped into one group.
      analysts: [...new Set(g.items.flatMap((it) => (it.analyst === null ? [] : [it.analyst])))],
      apiKeys: [...new Set(g.items.flatMap((it) => (it.apiKeyId === null ? [] : [it.apiKeyId])))],
    });
  }
  merged.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const recentCount = merged.length === 0 ? 0 : Math.ceil(settings.recentShare * merged.length);
  const parts = [merged.slice(0, merged.length - recentCount), merged.slice(merged.length - recentCount)];
  const capped = { analyst: 0, apiKey: 0, source: 0 };
  const [train, recent] = parts.map((part) => {
    const { kept, dropped } = applyCaps(part, settings);
    capped.analyst += dropped.analyst;
    capped.apiKey += dropped.apiKey;
    capped.source += dropped.source;
    return kept.map(({ analysts: _a, apiKeys: _k, ...example }) => example);
  }) as [FeedbackExample[], FeedbackExample[]];
  return {
    train,
    recent,
    report: {
      received: items.length,
      invalidLabel,
      holdoutTexts,
      distinctTexts: merged.length,
      conflicts,
      capped,
      train: train.length,
      recent: recent.length,
    },
  };
}
