import { AppError } from '../core/index.js';
import { type Extraction, extractIndicators, type WarninglistIndex } from '../extract/index.js';
import {
  type EnrichResult,
  enrich,
  type GraphStore,
  type IndicatorRef,
  indicatorsFromLists,
  recordThreat,
  threatNodeId,
} from '../graph/index.js';
import type { Enricher, EnrichQuery, PredictionForGraph, ThreatRecorder } from '../http/index.js';
import type { TechniqueMapper } from './predictor.js';

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;

/**
 * The indicators of an extraction the graph should link: the types it knows,
 * minus values on a warninglist (8.8.8.8 or google.com would join unrelated
 * threats), at most `max`.
 */
export function graphIndicators(entities: Partial<Record<string, unknown>>, max: number): IndicatorRef[] {
  const benign = new Set<string>();
  for (const m of (entities.matches ?? []) as { value: string; warninglists?: unknown[] }[]) {
    if ((m.warninglists?.length ?? 0) > 0) benign.add(m.value);
  }
  const lists = entities as Partial<Record<string, readonly string[]>>;
  return indicatorsFromLists(lists)
    .filter((i) => !benign.has(i.value))
    .slice(0, max);
}

/** Options of {@link createGraphEnricher}. */
export interface GraphEnricherOptions {
  graph: GraphStore;
  warninglists: WarninglistIndex | undefined;
  /** Maps text to techniques; absent: only the techniques the caller gives are used. */
  techniques?: TechniqueMapper | undefined;
}

/**
 * `POST /api/v1/enrich` on the knowledge graph: a text contributes its
 * indicators and CVEs (extraction, warninglisted values left out) and, when a
 * technique mapper is wired and the caller gave none, its techniques.
 */
export function createGraphEnricher(options: GraphEnricherOptions): Enricher {
  return {
    enrich: async (q: EnrichQuery): Promise<EnrichResult> => {
      let extraction: Extraction | undefined;
      if (q.text !== undefined) {
        extraction = extractIndicators(
          q.text,
          options.warninglists === undefined ? {} : { warninglists: options.warninglists },
        );
      }
      const fromText = extraction === undefined ? [] : graphIndicators(extraction, 2000);
      const indicators = [...(q.indicators ?? []), ...fromText].slice(0, 2000);
      const cves = [...new Set([...(q.cves ?? []), ...(extraction?.cves ?? [])])].slice(0, 500);
      const techniques =
        q.techniques ??
        (q.text !== undefined && options.techniques !== undefined
          ? options.techniques
              .mapDocument(q.text)
              .filter((t) => TECHNIQUE_ID.test(t.id))
              .map((t) => ({
                id: t.id,
                score: t.score,
                sentences: (t.sentences ?? []).slice(0, 50).map((s) => s.text.slice(0, 4000)),
              }))
          : []);
      return enrich(options.graph, {
        ...(q.text === undefined ? {} : { text: q.text }),
        indicators: indicators as EnrichQueryIndicators,
        techniques: techniques.slice(0, 300).map((t) => ({
          id: t.id,
          score: Math.min(1, Math.max(0, t.score)),
          ...(t.sentences === undefined ? {} : { sentences: t.sentences }),
        })),
        cves,
        ...(q.excludePredictionId === undefined
          ? {}
          : { excludeThreatId: threatNodeId(q.excludePredictionId) }),
        ...(q.maxThreats === undefined ? {} : { maxThreats: q.maxThreats }),
        ...(q.maxActors === undefined ? {} : { maxActors: q.maxActors }),
      });
    },
  };
}

type EnrichQueryIndicators = Parameters<typeof enrich>[1]['indicators'];

/** A {@link ThreatRecorder} that also reports when everything queued has been written. */
export interface GraphThreatRecorder extends ThreatRecorder {
  /** Resolves once every accepted prediction is recorded (or failed). */
  idle(): Promise<void>;
}

/**
 * Records predictions as Threat nodes one at a time, in arrival order (the
 * graph's writes are serialised anyway), with at most `maxPending` waiting:
 * past that, new ones are refused at once rather than piling up in memory
 * under overload (the prediction itself is stored either way).
 */
export function createThreatRecorder(graph: GraphStore, maxPending = 10_000): GraphThreatRecorder {
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;
  return {
    record: (p: PredictionForGraph) => {
      if (pending >= maxPending) {
        return Promise.reject(
          new AppError(
            'CS_ERR_TIMEOUT',
            `Threat recording is ${pending} predictions behind; ${p.id} skipped`,
          ),
        );
      }
      pending++;
      const run = tail.then(async () => {
        try {
          await recordThreat(graph, {
            predictionId: p.id,
            title: p.text,
            severity: p.severity as 'critical',
            indicators: graphIndicators(p.entities, 5000) as Parameters<typeof recordThreat>[1]['indicators'],
            techniques: p.techniques
              .filter((t) => TECHNIQUE_ID.test(t.id))
              .slice(0, 500)
              .map((t) => ({ id: t.id, score: Math.min(1, Math.max(0, t.score)) })),
            cves: ((p.entities.cves ?? []) as string[]).filter((c) => CVE_ID.test(c)).slice(0, 1000),
            observedAt: new Date(p.createdAt).toISOString(),
          });
        } finally {
          pending--;
        }
      });
      tail = run.catch(() => {});
      return run;
    },
    idle: () => tail,
  };
}
