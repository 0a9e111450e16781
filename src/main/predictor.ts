import type { AnomalyModel } from '../anomaly/index.js';
import type { TechniqueModel } from '../attack/index.js';
import { AppError, type Clock, systemClock } from '../core/index.js';
import { recommend } from '../explain/index.js';
import { extractIndicators, type WarninglistIndex } from '../extract/index.js';
import { type FeatureArtefacts, featurize } from '../features/index.js';
import type { ModelInfo, Predictor, PredictorInput, PredictorOutput, Technique } from '../http/index.js';
import {
  type ModelManifest,
  SEVERITY_CLASSES,
  type SeverityInput,
  type SeverityModel,
} from '../model/index.js';
import type { AdviceSources } from './advice.js';
import { explainPrediction } from './explain-prediction.js';

/** A loaded severity model with the manifest it came from. */
export interface LoadedSeverityModel {
  model: SeverityModel;
  manifest: ModelManifest;
}

/** Maps a document to ATT&CK techniques (with their supporting sentences). */
export interface TechniqueMapper {
  mapDocument(text: string): Technique[];
}

/** The attack module's model as a {@link TechniqueMapper}. */
export function techniqueMapperOf(model: Pick<TechniqueModel, 'mapDocument'>): TechniqueMapper {
  return {
    mapDocument: (text) =>
      model.mapDocument(text).techniques.map((t) => ({
        id: t.id,
        ...(t.name === undefined ? {} : { name: t.name }),
        score: t.score,
        sentences: t.sentences.map((s) => ({ text: s.text, start: s.start, end: s.end, score: s.score })),
      })),
  };
}

/** The real predictor, with a way to swap the model without failing requests in flight. */
export interface ServicePredictor extends Predictor {
  /** Synchronous: pure CPU work on the loaded model. */
  predict(input: PredictorInput): PredictorOutput;
  /** Replaces the answering model (hot swap); the old one is disposed once replaced. */
  setSeverityModel(loaded: LoadedSeverityModel | undefined): void;
  /** Releases the model's memory. */
  dispose(): void;
}

/** The anomaly model with the feature artefacts it was trained with. */
export interface AnomalyScorer {
  model: AnomalyModel;
  /** The artefacts whose SHA-256 the anomaly manifest records (`loadAnomalyFeatures`). */
  artefacts: FeatureArtefacts;
}

/** The parts {@link createServicePredictor} composes. */
export interface ServicePredictorParts {
  severity: LoadedSeverityModel | undefined;
  /** Flags indicators on MISP warninglists; absent: no flags. */
  warninglists: WarninglistIndex | undefined;
  /** Absent: `techniques` is empty. */
  techniques?: TechniqueMapper | undefined;
  /** Absent: `anomalyScore` is null. */
  anomaly?: AnomalyScorer | undefined;
  /** KEV status and technique mitigations for recommendations; absent: CVEs unchecked, techniques get detection advice. */
  advice?: AdviceSources | undefined;
  /** Reference time of the anomaly features when the input has no `published`. Default: the system clock. */
  clock?: Clock;
}

/** The anomaly score of a document, from the 128-slot vector built with the anomaly model's artefacts. */
function anomalyScoreOf(
  scorer: AnomalyScorer,
  doc: SeverityInput,
  extraction: ReturnType<typeof extractIndicators>,
  clock: Clock,
): number {
  const published = doc.published === undefined ? Number.NaN : Date.parse(doc.published);
  const referenceTime = Number.isFinite(published) ? published : clock.now();
  const vector = featurize(doc, { artefacts: scorer.artefacts, referenceTime, extraction });
  return scorer.model.score(vector);
}

/** The manifest's numeric figures, as `GET /api/v1/metrics` reports them. */
function holdoutOf(manifest: ModelManifest): Record<string, number> | null {
  const entries = Object.entries(manifest.metrics).filter(([, v]) => Number.isFinite(v));
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

/**
 * Composes extraction (with warninglist flags), the severity model and, when
 * given, technique mapping, the anomaly model and the advice sources into the
 * {@link Predictor} the HTTP routes use. Every answer carries the anomaly
 * score (null without an anomaly model), an explanation at the input's
 * `explain` level (default `words`; see `explainPrediction`) and the
 * recommendations (`recommend`: severity action, CVEs with KEV status,
 * indicators to block or hunt, technique mitigations, each with its reason).
 */
export function createServicePredictor(parts: ServicePredictorParts): ServicePredictor {
  let severity = parts.severity;
  const clock = parts.clock ?? systemClock;
  return {
    current: () => (severity === undefined ? undefined : { ...severity.model.ref }),
    models: (): ModelInfo[] =>
      severity === undefined
        ? []
        : [
            {
              family: severity.model.ref.family,
              version: severity.model.ref.version,
              active: true,
              holdout: holdoutOf(severity.manifest),
            },
          ],
    predict: (input: PredictorInput): PredictorOutput => {
      // Read once: a swap during this call must not mix two models' answers.
      const loaded = severity;
      if (loaded === undefined) throw new AppError('CS_ERR_MODEL_NOT_LOADED', 'No severity model is loaded');
      const entities = extractIndicators(
        input.text,
        parts.warninglists === undefined ? {} : { warninglists: parts.warninglists },
      );
      const doc: SeverityInput = {
        text: input.text,
        ...(input.source === undefined ? {} : { source: input.source }),
        ...(input.published === undefined ? {} : { published: input.published }),
      };
      const p = loaded.model.predict(doc);
      const probabilities = Object.fromEntries(
        SEVERITY_CLASSES.map((c, i) => [c, p.probabilities[i] ?? 0]),
      ) as PredictorOutput['probabilities'];
      const techniques = parts.techniques?.mapDocument(input.text) ?? [];
      const anomalyScore =
        parts.anomaly === undefined ? null : anomalyScoreOf(parts.anomaly, doc, entities, clock);
      const advice = parts.advice;
      const recommendations = recommend({
        severity: p.severity,
        confidence: p.confidence,
        extraction: entities,
        ...(advice === undefined ? {} : { kev: advice.kev }),
        techniques: techniques.map((t) => ({
          id: t.id,
          ...(t.name === undefined ? {} : { name: t.name }),
          score: t.score,
          ...(advice === undefined ? {} : { mitigations: advice.mitigationsOf(t.id) }),
        })),
        anomalyScore,
      });
      return {
        model: { family: p.model.family, version: p.model.version },
        severity: p.severity,
        probabilities,
        confidence: p.confidence,
        anomalyScore,
        entities: entities as unknown as PredictorOutput['entities'],
        techniques,
        explanation: explainPrediction(loaded.model, doc, p, input.explain ?? 'words'),
        recommendations: recommendations as unknown as PredictorOutput['recommendations'],
      };
    },
    setSeverityModel: (next) => {
      const previous = severity;
      severity = next;
      // Synchronous predict means no request holds the old model past this point.
      if (previous !== undefined && previous.model !== next?.model) previous.model.dispose();
    },
    dispose: () => {
      severity?.model.dispose();
      severity = undefined;
    },
  };
}
