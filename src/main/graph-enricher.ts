import { AppError } from '../core/index.js';
import { type Extraction, extractIndicators, refang, type WarninglistIndex } from '../extract/index.js';
import {
  type EnrichInput,
  type EnrichRequest,
  type EnrichResult,
  enrich,
  type GraphStore,
  normaliseIndicator,
  threatNodeId,
} from '../graph/index.js';
import { type Enricher, normaliseText, type Technique } from '../http/index.js';
import type { PredictionRepository } from '../store/index.js';
import { graphIndicators, TECHNIQUE_ID } from './graph-adapters.js';
import type { TechniqueMapper } from './predictor.js';

/** Options of {@link createGraphEnricher}. */
export interface GraphEnricherOptions {
  graph: GraphStore;
  warninglists: WarninglistIndex | undefined;
  /** Maps text to techniques; absent: only the techniques the caller gives are used. */
  techniques?: TechniqueMapper | undefined;
  /** Stored predictions, for `{predictionId}` requests; absent: such requests are refused (400). */
  predictions?: Pick<PredictionRepository, 'get'> | undefined;
}

function invalid(message: string, fields: string[]): AppError {
  return new AppError('CS_ERR_VALIDATION', `Invalid body: ${message}`, {
    details: { fields: fields.map((field) => ({ field, message })) },
  });
}

/** What a request asks about once its predictionId is resolved: text, lists, and a threat to leave out. */
interface ResolvedRequest {
  text?: string;
  indicators?: EnrichRequest['indicators'];
  techniques?: { id: string; score: number; sentences?: string[] }[];
  cves?: string[];
  excludePredictionId?: string;
}

type RequestIndicator = NonNullable<EnrichRequest['indicators']>[number];

/**
 * A structured indicator value as the graph stores it: refanged (`evil[.]example`, `hxxp://`),
 * in extraction's normal form when extraction reads the whole value as one indicator of that
 * type (lower-case hosts, URL scheme and host, ...), then the graph's normal form; undefined
 * when it is not a valid indicator of its type.
 */
export function structuredIndicatorValue(type: RequestIndicator['type'], value: string): string | undefined {
  const plain = refang(value.trim()).text;
  const whole = extractIndicators(plain).matches.find(
    (m) => m.type === type && m.start === 0 && m.end === plain.length,
  );
  return normaliseIndicator(type, whole?.value ?? plain);
}

/** The request's indicators refanged and normalised; any invalid one fails the request, naming its field. */
function structuredIndicators(list: readonly RequestIndicator[]): RequestIndicator[] {
  const out: RequestIndicator[] = [];
  const fields: { field: string; message: string }[] = [];
  list.forEach((i, n) => {
    const value = structuredIndicatorValue(i.type, i.value);
    if (value === undefined)
      fields.push({ field: `indicators.${n}.value`, message: `not a valid ${i.type}` });
    else out.push({ type: i.type, value });
  });
  if (fields.length > 0) {
    const first = fields[0] as { field: string; message: string };
    const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
    throw new AppError('CS_ERR_VALIDATION', `Invalid body: ${first.field}: ${first.message}${more}`, {
      details: { fields: fields.slice(0, 20) },
    });
  }
  return out;
}

async function resolve(
  r: EnrichRequest,
  predictions: GraphEnricherOptions['predictions'],
): Promise<ResolvedRequest> {
  const given = r.indicators !== undefined || r.techniques !== undefined || r.cves !== undefined;
  if (r.predictionId !== undefined && (r.text !== undefined || given)) {
    throw invalid('predictionId cannot be combined with text, indicators, techniques or cves', [
      'predictionId',
    ]);
  }
  if (r.predictionId === undefined && r.text === undefined && !given) {
    throw invalid('give text, predictionId, or indicators/techniques/cves', [
      'text',
      'predictionId',
      'indicators',
    ]);
  }
  if (r.predictionId !== undefined) {
    if (predictions === undefined)
      throw invalid('no prediction store to look predictionId up in', ['predictionId']);
    const stored = await predictions.get(r.predictionId);
    if (stored === undefined) {
      const message = 'no stored prediction has this id (never made, or purged by retention)';
      throw new AppError('CS_ERR_NOT_FOUND', `predictionId: ${message}`, {
        details: { fields: [{ field: 'predictionId', message }] },
      });
    }
    const techniques = ((stored.details as { techniques?: Technique[] } | null)?.techniques ?? []).map(
      (t) => ({
        id: t.id,
        score: t.score,
      }),
    );
    return { text: stored.text, techniques, excludePredictionId: stored.id };
  }
  return {
    ...(r.text === undefined ? {} : { text: normaliseText(r.text) }),
    ...(r.indicators === undefined ? {} : { indicators: structuredIndicators(r.indicators) }),
    ...(r.techniques === undefined
      ? {}
      : { techniques: r.techniques.map((t) => ({ id: t.id, score: t.score ?? 1 })) }),
    ...(r.cves === undefined ? {} : { cves: r.cves }),
  };
}

/**
 * The one function from an enrichment request (`POST /api/v1/enrich`, `cyberstreams graph enrich`)
 * to the knowledge graph: the request is checked, a `predictionId` is resolved to the stored
 * prediction's text and techniques (its own Threat left out), a text is normalised as for a
 * prediction and contributes its indicators and CVEs (extraction, warninglisted values left out)
 * and, when a technique mapper is wired and the caller gave no techniques, its techniques.
 */
export function createGraphEnricher(options: GraphEnricherOptions): Enricher {
  return {
    enrich: async (request: EnrichRequest): Promise<EnrichResult> => {
      const q = await resolve(request, options.predictions);
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
        indicators: indicators as EnrichInput['indicators'],
        techniques: techniques.slice(0, 300).map((t) => ({
          id: t.id,
          score: Math.min(1, Math.max(0, t.score)),
          ...(t.sentences === undefined ? {} : { sentences: t.sentences }),
        })),
        cves,
        ...(q.excludePredictionId === undefined
          ? {}
          : { excludeThreatId: threatNodeId(q.excludePredictionId) }),
        ...(request.maxThreats === undefined ? {} : { maxThreats: request.maxThreats }),
        ...(request.maxActors === undefined ? {} : { maxActors: request.maxActors }),
      });
    },
  };
}
