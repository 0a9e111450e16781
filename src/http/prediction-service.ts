import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Compile } from 'typebox/compile';
import { AppError, type Clock, readableSchemaErrors } from '../core/index.js';
import { SEVERITY_CLASSES } from '../model/index.js';
import type { NewPrediction, PredictionRepository } from '../store/index.js';
import type { Principal } from './auth.js';
import type { ThreatRecorder } from './enricher.js';
import { type FieldError, fieldOf, isRealDate } from './field-errors.js';
import { RejectedItem } from './json-body.js';
import type { ServiceMetrics } from './metrics.js';
import { normaliseText, sha256Hex } from './normalise-text.js';
import type { PredictionCache } from './prediction-cache.js';
import type { Predictor, PredictorInput, PredictorOutput } from './predictor.js';
import type { ModelRef } from './schemas/common.js';
import { type PredictItem, PredictItemSchema, type Prediction } from './schemas/predict.js';

/** Dependencies of {@link PredictionService}. */
export interface PredictionServiceDeps {
  predictor: Predictor;
  predictions: PredictionRepository;
  /** Absent: no cache. */
  cache: PredictionCache | undefined;
  clock: Clock;
  metrics: ServiceMetrics;
  /** Monotonic milliseconds for latencies. Default `performance.now`. */
  monotonic?: () => number;
  /** Records stored predictions in the knowledge graph (not awaited); absent: not recorded. */
  threats?: ThreatRecorder | undefined;
  /** Told when recording a threat fails (logging). */
  onThreatError?: (err: unknown, predictionId: string) => void;
}

/** A scored item before it is stored. */
interface Scored {
  response: Prediction;
  record: NewPrediction;
}

/** The outcome of one batch item: a prediction, or the problem that item alone would get. */
export type BatchOutcome = { ok: true; prediction: Prediction } | { ok: false; error: AppError };

const checkItem = Compile(PredictItemSchema);
// Batch items are scored in slices so other requests get the event loop in between.
const ITEMS_PER_SLICE = 8;

/**
 * Turns validated items into stored predictions: normalise the text, look in
 * the cache, ask the predictor, store every answer with its model version
 * (durably, before the reply), count it. Shared by the single and batch routes.
 */
export class PredictionService {
  readonly #deps: PredictionServiceDeps;
  readonly #monotonic: () => number;

  constructor(deps: PredictionServiceDeps) {
    this.#deps = deps;
    this.#monotonic = deps.monotonic ?? (() => performance.now());
  }

  /** Scores and stores one item. Throws CS_ERR_MODEL_NOT_LOADED (503) without a model. */
  async predictOne(item: PredictItem, principal: Principal | null): Promise<Prediction> {
    const startedAt = this.#monotonic();
    const model = this.#currentModel();
    assertPublished(item, '');
    const scored = await this.#score(item, model, principal, startedAt);
    await this.#deps.predictions.insert([scored.record]);
    this.#count(scored.response);
    this.#recordThreat(scored);
    return scored.response;
  }

  /**
   * Checks and scores each raw item on its own (an invalid one gets its own
   * 400 entry), then stores all predictions in one write. Items not started
   * within `timeLimitMs` get a 503 CS_ERR_TIMEOUT entry. Throws
   * CS_ERR_MODEL_NOT_LOADED for the whole batch when no model is loaded.
   */
  async predictMany(
    items: readonly unknown[],
    principal: Principal | null,
    timeLimitMs = Number.POSITIVE_INFINITY,
  ): Promise<BatchOutcome[]> {
    this.#currentModel();
    const deadline = this.#monotonic() + timeLimitMs;
    const outcomes: BatchOutcome[] = [];
    const records: NewPrediction[] = [];
    const scoredItems: Scored[] = [];
    for (let i = 0; i < items.length; i++) {
      if (i > 0 && i % ITEMS_PER_SLICE === 0) await yieldToLoop();
      const startedAt = this.#monotonic();
      const raw = items[i];
      if (startedAt > deadline) {
        // Scoring cannot be interrupted, but items not yet started are answered at once.
        outcomes.push({
          ok: false,
          error: new AppError(
            'CS_ERR_TIMEOUT',
            `Item ${i} was not scored: the batch reached its time limit of ${timeLimitMs} ms`,
            {
              details: { timeLimitMs },
            },
          ),
        });
        this.#deps.metrics.batchItems.inc({ outcome: 'rejected' });
        continue;
      }
      try {
        const item = this.#checkItem(raw, i);
        const scored = await this.#score(item, this.#currentModel(), principal, startedAt);
        records.push(scored.record);
        scoredItems.push(scored);
        outcomes.push({ ok: true, prediction: scored.response });
        this.#deps.metrics.batchItems.inc({ outcome: 'predicted' });
      } catch (err) {
        // A fault scoring one item (a model bug) fails that item as a 500 entry, not the whole batch.
        const error =
          err instanceof AppError ? err : new AppError('CS_ERR_INTERNAL', 'Internal error', { cause: err });
        outcomes.push({ ok: false, error });
        this.#deps.metrics.batchItems.inc({ outcome: 'rejected' });
      }
    }
    await this.#deps.predictions.insert(records);
    for (const o of outcomes) if (o.ok) this.#count(o.prediction);
    for (const scored of scoredItems) this.#recordThreat(scored);
    return outcomes;
  }

  #currentModel(): ModelRef {
    const model = this.#deps.predictor.current();
    if (model === undefined) {
      throw new AppError('CS_ERR_MODEL_NOT_LOADED', 'No severity model is loaded; see GET /ready');
    }
    return model;
  }

  #checkItem(raw: unknown, index: number): PredictItem {
    // The body parser already replaced an item with a prototype-polluting key.
    if (raw instanceof RejectedItem) throw raw.error;
    if (!checkItem.Check(raw)) {
      const fields: FieldError[] = readableSchemaErrors(
        [...checkItem.Errors(raw)].filter((e) => e.keyword !== 'boolean'),
      )
        .slice(0, 10)
        .map((e) => ({ field: fieldOf(e.instancePath, e.params, `items.${index}`), message: e.message }));
      throw new AppError(
        'CS_ERR_VALIDATION',
        `Invalid item ${index}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
        { details: { fields } },
      );
    }
    assertPublished(raw, `items.${index}.`);
    return raw;
  }

  async #score(
    item: PredictItem,
    model: ModelRef,
    principal: Principal | null,
    startedAt: number,
  ): Promise<Scored> {
    const input: PredictorInput = {
      text: normaliseText(item.text),
      ...(item.source === undefined ? {} : { source: item.source }),
      ...(item.published === undefined ? {} : { published: item.published }),
      ...(item.explain === undefined ? {} : { explain: item.explain }),
    };
    // Sticky per item when the client names items, else per API key (else the router hashes the text).
    const routingKey = item.id ?? principal?.keyId;
    const scored: PredictorInput =
      routingKey === undefined || routingKey === null ? input : { ...input, routingKey };
    const { cache, predictor, metrics } = this.#deps;
    let output: PredictorOutput | undefined =
      cache && (await cache.get(predictor.modelFor?.(scored) ?? model, input));
    const cached = output !== undefined;
    if (output === undefined) {
      const t0 = this.#monotonic();
      output = await predictor.predict(scored);
      metrics.predictionDuration.observe(
        { model_family: output.model.family, model_version: output.model.version },
        (this.#monotonic() - t0) / 1000,
      );
      cache?.put(input, output);
    }
    const latencyMs = Math.max(0, this.#monotonic() - startedAt);
    const id = randomUUID();
    const response: Prediction = {
      id,
      ...(item.id === undefined ? {} : { itemId: item.id }),
      model: output.model,
      severity: output.severity,
      probabilities: output.probabilities,
      confidence: output.confidence,
      anomalyScore: output.anomalyScore,
      entities: output.entities,
      techniques: output.techniques,
      explanation: output.explanation,
      recommendations: output.recommendations,
      cached,
      latencyMs,
    };
    const record: NewPrediction = {
      id,
      createdAt: this.#deps.clock.now(),
      itemId: item.id ?? null,
      apiKeyId: principal?.keyId ?? null,
      modelFamily: output.model.family,
      modelVersion: output.model.version,
      severity: output.severity,
      probabilities: SEVERITY_CLASSES.map((c) => output.probabilities[c]),
      confidence: output.confidence,
      anomalyScore: output.anomalyScore,
      text: input.text,
      textSha256: sha256Hex(input.text),
      source: item.source ?? null,
      published: item.published ?? null,
      latencyMs,
      cached,
      details: {
        entities: output.entities,
        techniques: output.techniques,
        explanation: output.explanation,
        recommendations: output.recommendations,
      },
    };
    return { response, record };
  }

  #recordThreat({ response, record }: Scored): void {
    const threats = this.#deps.threats;
    if (threats === undefined) return;
    threats
      .record({
        id: response.id,
        text: record.text,
        severity: response.severity,
        entities: response.entities,
        techniques: response.techniques,
        createdAt: record.createdAt,
      })
      .then(
        () => this.#deps.metrics.threatsRecorded.inc({ outcome: 'recorded' }),
        (err: unknown) => {
          this.#deps.metrics.threatsRecorded.inc({ outcome: 'failed' });
          this.#deps.onThreatError?.(err, response.id);
        },
      );
  }

  #count(p: Prediction): void {
    this.#deps.metrics.predictions.inc({
      model_family: p.model.family,
      model_version: p.model.version,
      severity: p.severity,
    });
  }
}

/** Rejects a `published` value that matches the pattern but is no real date (2024-02-30). */
function assertPublished(item: PredictItem, prefix: string): void {
  if (item.published !== undefined && !isRealDate(item.published)) {
    const field = `${prefix}published`;
    throw new AppError('CS_ERR_VALIDATION', `${field}: not a real date or time`, {
      details: { fields: [{ field, message: 'not a real date or time' }] },
    });
  }
}
