import type { TechniqueModel } from '../attack/index.js';
import { AppError } from '../core/index.js';
import { extractIndicators, type WarninglistIndex } from '../extract/index.js';
import type { ModelInfo, Predictor, PredictorInput, PredictorOutput, Technique } from '../http/index.js';
import { type ModelManifest, SEVERITY_CLASSES, type SeverityModel } from '../model/index.js';

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

/** The parts {@link createServicePredictor} composes. */
export interface ServicePredictorParts {
  severity: LoadedSeverityModel | undefined;
  /** Flags indicators on MISP warninglists; absent: no flags. */
  warninglists: WarninglistIndex | undefined;
  /** Absent: `techniques` is empty. */
  techniques?: TechniqueMapper | undefined;
}

/** The manifest's numeric figures, as `GET /api/v1/metrics` reports them. */
function holdoutOf(manifest: ModelManifest): Record<string, number> | null {
  const entries = Object.entries(manifest.metrics).filter(([, v]) => Number.isFinite(v));
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

/**
 * Composes extraction (with warninglist flags), the severity model and, when
 * given, technique mapping into the {@link Predictor} the HTTP routes use.
 * `anomalyScore`, `explanation` and `recommendations` are null/empty until
 * those components are composed here.
 */
export function createServicePredictor(parts: ServicePredictorParts): ServicePredictor {
  let severity = parts.severity;
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
      const p = loaded.model.predict({
        text: input.text,
        ...(input.source === undefined ? {} : { source: input.source }),
        ...(input.published === undefined ? {} : { published: input.published }),
      });
      const probabilities = Object.fromEntries(
        SEVERITY_CLASSES.map((c, i) => [c, p.probabilities[i] ?? 0]),
      ) as PredictorOutput['probabilities'];
      return {
        model: { family: p.model.family, version: p.model.version },
        severity: p.severity,
        probabilities,
        confidence: p.confidence,
        anomalyScore: null,
        entities: entities as unknown as PredictorOutput['entities'],
        techniques: parts.techniques?.mapDocument(input.text) ?? [],
        explanation: null,
        recommendations: [],
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
