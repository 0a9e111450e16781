import type { EnrichRequest, EnrichResult } from '../graph/index.js';
import type { Entities, Technique } from './schemas/predict.js';

/** What an enrichment asks about: the body of `POST /api/v1/enrich`, as its schema validated it. */
export type EnrichQuery = EnrichRequest;

/**
 * The knowledge-graph side of `POST /api/v1/enrich` (src/main composes extraction, technique
 * mapping, the prediction store and the graph). The whole request goes through: the route and
 * `cyberstreams graph enrich` call the same function, so their answers cannot drift.
 *
 * @throws AppError CS_ERR_VALIDATION (with `details.fields`) for a request that is well-formed but
 *   not meaningful (nothing to enrich, predictionId with other inputs, an indicator value that is
 *   not of its type); CS_ERR_NOT_FOUND for an unknown predictionId.
 */
export interface Enricher {
  enrich(query: EnrichQuery): Promise<EnrichResult>;
}

/** A stored prediction, as the knowledge graph records it. */
export interface PredictionForGraph {
  id: string;
  text: string;
  severity: string;
  entities: Entities;
  techniques: Technique[];
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/**
 * Records stored predictions as Threat nodes (with their indicators and
 * techniques) so related threats accumulate. Called after the prediction is
 * stored and never awaited by the request: a graph failure never fails a prediction.
 */
export interface ThreatRecorder {
  record(prediction: PredictionForGraph): Promise<void>;
}
