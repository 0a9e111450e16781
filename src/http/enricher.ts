import type { EnrichResult } from '../graph/index.js';
import type { Entities, Technique } from './schemas/predict.js';

/** What an enrichment asks about; the adapter fills what is missing (indicators and techniques of `text`). */
export interface EnrichQuery {
  text?: string;
  indicators?: { type: string; value: string }[];
  techniques?: { id: string; score: number; sentences?: string[] }[];
  cves?: string[];
  /** Leave this prediction's own Threat out of the related threats. */
  excludePredictionId?: string;
  maxThreats?: number;
  maxActors?: number;
}

/** The knowledge-graph side of `POST /api/v1/enrich` (src/main composes extraction, technique mapping and the graph). */
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
