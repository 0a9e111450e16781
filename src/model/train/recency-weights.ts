import type { LabelledDoc } from '../../ingest/index.js';

/** Calendar month of an ISO time as a month count (year * 12 + month); undefined when missing or invalid. */
function monthIndex(published: string | undefined): number | undefined {
  if (published === undefined) return undefined;
  const ms = Date.parse(published);
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/**
 * Loss weights that favour recent examples, because CVSS labelling practice
 * drifts (CNA against ADP scoring) and predictions are made on months after
 * the training data: `0.5 ^ (age / halfLifeMonths)`, the age in whole months
 * counted from the newest publication month among `docs` (so a refit on more
 * recent data moves the reference with it). Undated documents (the weak
 * informational sentences) get the mean weight of the dated ones, keeping
 * their share of the total weight. The weights are scaled to a mean of 1.
 * `halfLifeMonths` 0 (off) gives 1 for every document.
 */
export function recencyWeights(docs: readonly LabelledDoc[], halfLifeMonths: number): number[] {
  if (halfLifeMonths <= 0) return docs.map(() => 1);
  const months = docs.map((d) => monthIndex(d.published));
  const dated = months.filter((m): m is number => m !== undefined);
  if (dated.length === 0) return docs.map(() => 1);
  const newest = dated.reduce((a, b) => Math.max(a, b));
  const raw = months.map((m) => (m === undefined ? undefined : 0.5 ** ((newest - m) / halfLifeMonths)));
  const datedMean = raw.reduce<number>((a, w) => a + (w ?? 0), 0) / dated.length;
  // Undated documents carry the dated mean, so the overall mean is the dated mean too.
  return raw.map((w) => (w ?? datedMean) / datedMean);
}
