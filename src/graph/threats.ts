import Type, { type Static } from 'typebox';
import { validate } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { techniqueNodeId, threatNodeId, vulnerabilityNodeId } from './ids.js';
import { type IndicatorKind, indicatorNodeId, normaliseIndicator } from './indicators.js';
import { displayLine } from './normalise.js';
import type { EdgeInput, NodeInput } from './schema.js';

/** Severity classes, in the model's order. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;

// Written out (not mapped from INDICATOR_KINDS) so TypeBox infers the literal union; checked below.

/** An indicator as enrichment and threats take it. */
export const IndicatorInputSchema = Type.Object(
  {
    type: Type.Union([
      Type.Literal('ipv4'),
      Type.Literal('ipv6'),
      Type.Literal('domain'),
      Type.Literal('url'),
      Type.Literal('email'),
      Type.Literal('md5'),
      Type.Literal('sha1'),
      Type.Literal('sha256'),
      Type.Literal('sha512'),
      Type.Literal('filename'),
      Type.Literal('pattern'),
    ]),
    value: Type.String({ minLength: 1, maxLength: 2048 }),
  },
  { additionalProperties: false },
);

/** A technique found in a text, as the technique mapper reports it. */
export const TechniqueInputSchema = Type.Object(
  {
    /** ATT&CK id, `T1059` or `T1059.001`. */
    id: Type.String({ pattern: '^T\\d{4}(\\.\\d{3})?$' }),
    /** 0..1, the mapper's confidence. */
    score: Type.Number({ minimum: 0, maximum: 1 }),
    /** The sentences that support it (kept out of the graph; echoed by enrichment). */
    sentences: Type.Optional(Type.Array(Type.String({ maxLength: 4000 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);

/** Input of {@link recordThreat}. */
export const ThreatInputSchema = Type.Object(
  {
    /** The stored prediction this threat comes from; the node is `threat:<predictionId>`. */
    predictionId: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000]+$' }),
    /**
     * A title or short summary: stored as one line of at most 200 characters (never the whole
     * text), NUL replaced by a space ({@link displayLine}).
     */
    title: Type.String({ minLength: 1, maxLength: 100_000 }),
    severity: Type.Optional(
      Type.Union([
        Type.Literal('critical'),
        Type.Literal('high'),
        Type.Literal('medium'),
        Type.Literal('low'),
        Type.Literal('informational'),
      ]),
    ),
    indicators: Type.Optional(Type.Array(IndicatorInputSchema, { maxItems: 5000 })),
    techniques: Type.Optional(Type.Array(TechniqueInputSchema, { maxItems: 500 })),
    /** CVE ids the text names. */
    cves: Type.Optional(
      Type.Array(Type.String({ pattern: '^[Cc][Vv][Ee]-\\d{4}-\\d{4,}$' }), { maxItems: 1000 }),
    ),
    /** When the prediction was made, ISO 8601. */
    observedAt: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

// Compile-time check that the schema's kinds are exactly INDICATOR_KINDS.
const kindsMatch: Static<typeof IndicatorInputSchema>['type'] extends IndicatorKind
  ? IndicatorKind extends Static<typeof IndicatorInputSchema>['type']
    ? true
    : never
  : never = true;
void kindsMatch;

/** Input of {@link recordThreat}. */
export type ThreatInput = Static<typeof ThreatInputSchema>;

/** What {@link recordThreat} stored. */
export interface RecordedThreat {
  threatId: string;
  indicators: number;
  techniques: number;
  cves: number;
  /** Indicators refused as invalid for their type (`type:value`). */
  invalidIndicators: string[];
}

/** Edge source of everything a prediction records. */
export const PREDICTION_SOURCE = 'prediction';

/**
 * Stores a prediction as a Threat node with CONTAINS edges to its indicators
 * and CVEs and USES edges to its techniques (confidence = the technique's
 * score), so threats sharing indicators or techniques find each other later.
 * Recording the same prediction again replaces its links (idempotent).
 * Techniques not in the graph get a stub node named by their id.
 *
 * @throws AppError CS_ERR_VALIDATION on malformed input; nothing is written.
 */
export async function recordThreat(graph: GraphStore, input: ThreatInput): Promise<RecordedThreat> {
  const t = validate(ThreatInputSchema, input, 'Threat');
  const threatId = threatNodeId(t.predictionId);
  // Any text makes a valid name: the graph (and PostgreSQL) refuse NUL, so it must not fail the record.
  const title = displayLine(t.title, 200) || t.predictionId;
  const props: Record<string, unknown> = { predictionId: t.predictionId };
  if (t.severity) props.severity = t.severity;
  if (t.observedAt) props.observedAt = t.observedAt;
  const nodes: NodeInput[] = [
    { id: threatId, type: 'Threat', name: title, primary: true, props, source: PREDICTION_SOURCE },
  ];
  const edges: EdgeInput[] = [];
  const invalidIndicators: string[] = [];
  const seen = new Set<string>();
  for (const ind of t.indicators ?? []) {
    const id = indicatorNodeId(ind.type, ind.value);
    const value = normaliseIndicator(ind.type, ind.value);
    if (!id || value === undefined) {
      invalidIndicators.push(`${ind.type}:${ind.value.slice(0, 100)}`);
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    nodes.push({
      id,
      type: 'Indicator',
      name: value.slice(0, 200),
      props: { kind: ind.type, value },
      source: PREDICTION_SOURCE,
    });
    edges.push({ src: threatId, type: 'CONTAINS', dst: id, source: PREDICTION_SOURCE, confidence: 1 });
  }
  const existing = new Set(
    (await graph.getNodes((t.techniques ?? []).map((x) => techniqueNodeId(x.id)))).map((n) => n.id),
  );
  const techniques = new Map<string, number>();
  for (const x of t.techniques ?? []) techniques.set(x.id, Math.max(techniques.get(x.id) ?? 0, x.score));
  for (const [id, score] of techniques) {
    const nodeId = techniqueNodeId(id);
    if (!existing.has(nodeId))
      nodes.push({
        id: nodeId,
        type: 'Technique',
        name: id,
        props: { attackId: id },
        source: PREDICTION_SOURCE,
      });
    edges.push({ src: threatId, type: 'USES', dst: nodeId, source: PREDICTION_SOURCE, confidence: score });
  }
  const cves = new Set((t.cves ?? []).flatMap((c) => vulnerabilityNodeId(c) ?? []));
  for (const id of cves) {
    nodes.push({
      id,
      type: 'Vulnerability',
      name: id.slice('vulnerability:'.length),
      source: PREDICTION_SOURCE,
    });
    edges.push({ src: threatId, type: 'CONTAINS', dst: id, source: PREDICTION_SOURCE, confidence: 1 });
  }
  await graph.apply({ nodes, edges }, { replaceEdgesFrom: [{ src: threatId, source: PREDICTION_SOURCE }] });
  return { threatId, indicators: seen.size, techniques: techniques.size, cves: cves.size, invalidIndicators };
}

/**
 * Removes the Threat nodes of deleted predictions (e.g. after a retention purge),
 * with their edges. Indicators and techniques stay: other threats may share them.
 * Returns how many existed.
 */
export async function forgetThreats(graph: GraphStore, predictionIds: readonly string[]): Promise<number> {
  return graph.deleteNodes(predictionIds.map(threatNodeId));
}
