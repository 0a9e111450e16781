/**
 * CVSS v3 base scores from vector strings found in text. Some publishers
 * (Oracle, many advisories) print the vector in the description; its score is
 * the strongest severity evidence a text can carry, so the pattern family
 * reads it instead of leaving it to the embedding.
 */

const VECTOR =
  /\bcvss:3\.[01]\/av:([nalp])\/ac:([lh])\/pr:([nlh])\/ui:([nr])\/s:([uc])\/c:([nlh])\/i:([nlh])\/a:([nlh])\b/;

const AV: Record<string, number> = { n: 0.85, a: 0.62, l: 0.55, p: 0.2 };
const AC: Record<string, number> = { l: 0.77, h: 0.44 };
const UI: Record<string, number> = { n: 0.85, r: 0.62 };
const CIA: Record<string, number> = { h: 0.56, l: 0.22, n: 0 };

/** CVSS v3.1 Roundup: the smallest one-decimal number >= x, robust to floating-point noise. */
function roundUp(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/**
 * The base score (0.0-10.0) of the first CVSS v3.0/v3.1 base vector in
 * `lower` (lower-cased text), computed with the v3.1 formula, or undefined
 * when the text carries no complete vector.
 */
export function cvssBaseScoreFromText(lower: string): number | undefined {
  const m = VECTOR.exec(lower);
  if (!m) return undefined;
  const [, av, ac, pr, ui, s, c, i, a] = m as unknown as string[];
  const changed = s === 'c';
  const prWeight = pr === 'n' ? 0.85 : pr === 'l' ? (changed ? 0.68 : 0.62) : changed ? 0.5 : 0.27;
  const iss = 1 - (1 - CIA[c!]!) * (1 - CIA[i!]!) * (1 - CIA[a!]!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * AV[av!]! * AC[ac!]! * prWeight * UI[ui!]!;
  if (impact <= 0) return 0;
  return changed
    ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
    : roundUp(Math.min(impact + exploitability, 10));
}

const STATED_SCORE =
  /\b(?:cvss\S{0,4}(?: v?\d(?:\.\d)?)?(?: base)? score|base score)(?: of| is)?:? ?(10(?:\.0)?|\d\.\d)(?![\d.]*\d)/;

/**
 * The CVSS score the text states in words ("CVSS 3.1 Base Score 7.5", "CVSS
 * score of 9.8"), else the score computed from a vector it contains, else
 * undefined. Range 0-10.
 */
export function statedCvssScore(lower: string): number | undefined {
  const m = STATED_SCORE.exec(lower);
  if (m) {
    const v = Number(m[1]);
    if (v >= 0 && v <= 10) return v;
  }
  return cvssBaseScoreFromText(lower);
}
