import { access } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError, type Clock, validate } from '../../core/index.js';
import { sourceKey } from '../../features/index.js';
import type { Store, StoredFeedback, StoredLearningJob } from '../../store/index.js';
import type { ProgressReporter } from '../jobs/job-runner.js';
import { RetrainPayloadSchema } from '../jobs/retrain-request.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import { prefixed } from '../registry/model-registry.js';
import type { LearningSettings } from '../settings.js';
import {
  type FeedbackInput,
  type FeedbackSelectionReport,
  selectFeedback,
  textKey,
} from './feedback-selection.js';
import { decideGate, type GateDecision } from './gate.js';
import { readHoldout } from './train-candidate.js';
import type { CandidateTrainer, ModelFigures, TrainSpec } from './train-spec.js';
import { newVersionName } from './version-name.js';

/** Dependencies of {@link RetrainJob}. */
export interface RetrainJobDeps {
  store: Pick<Store, 'feedback' | 'predictions' | 'learning'>;
  registry: ModelRegistry;
  clock: Clock;
  settings: LearningSettings;
  /** The gate's holdout file (JSON lines). */
  holdoutPath: string;
  trainer: CandidateTrainer;
  /** Source keys → base-example weight (from learned reputations); absent: every example weighs 1. */
  sourceWeights?: () => Promise<Record<string, number>>;
}

/** The stored outcome of a retraining job (the job's result and the candidate's evaluation). */
export interface RetrainResult {
  /** One line for the job list. */
  summary: string;
  family: string;
  candidateVersion: string;
  parentVersion: string;
  gate: GateDecision;
  /** Status the candidate has after the job. */
  status: string;
  figures: { candidate: ModelFigures; active: ModelFigures };
  feedback: FeedbackSelectionReport;
  trainExamples: number;
  trainSeconds: number;
  /** Peak resident memory of the training process, MiB (the child's own peak, or the calling process's). */
  trainPeakRssMiB: number;
}

/** Most feedback items one job reads (the newest are kept when there are more). */
const MAX_FEEDBACK = 200_000;

/** Feedback items whose predictions are looked up before the job yields to the event loop. */
const LOOKUPS_PER_TURN = 256;

/**
 * One retraining: reads all feedback, selects training and gate examples,
 * trains a candidate from the active model (through the trainer, off the
 * event loop), registers it with its figures, and promotes it only through
 * the gate. A refused candidate stays a candidate with the gate's reasons.
 */
export class RetrainJob {
  readonly #d: RetrainJobDeps;

  constructor(deps: RetrainJobDeps) {
    this.#d = deps;
  }

  /** Runs the job (the job runner's executor). */
  async run(job: StoredLearningJob, progress: ProgressReporter, signal: AbortSignal): Promise<RetrainResult> {
    const d = this.#d;
    const payload = validate(RetrainPayloadSchema, job.payload, `payload of job ${job.id}`);
    const parent = await d.registry.active(job.family);
    if (parent === undefined)
      throw new AppError('CS_ERR_NOT_FOUND', `No active ${job.family} model to retrain`);
    progress(0.01, 'reading feedback');
    const items = await this.#feedback();
    const holdoutKeys = new Set((await readHoldout(d.holdoutPath)).map((h) => textKey(h.text)));
    const selection = selectFeedback(items, d.settings.selection, holdoutKeys);
    const version = newVersionName(d.clock.now());
    const outDir = d.registry.versionDir(job.family, version);
    const baseData = await this.#baseData();
    // The shipped parent is read from this process's MODELS_DIR, not the registering replica's checkout.
    const parentDir = await d.registry.artefactDirOf(parent);
    const spec: TrainSpec = {
      family: job.family,
      version,
      outDir,
      parentDir,
      parentDriftDirs: [parentDir, d.registry.versionDir(parent.family, parent.version)],
      baseData,
      holdoutPath: d.holdoutPath,
      overrides: payload.settings,
      feedbackTrain: selection.train,
      recent: selection.recent,
      sourceWeights: (await d.sourceWeights?.()) ?? {},
      now: d.clock.now(),
    };
    const outcome = await d.trainer.train(spec, (f, m) => progress(0.05 + f * 0.85, m), signal);
    progress(0.92, 'gate decision');
    const recentItems = selection.recent.length;
    const gate = decideGate(d.settings.gate, {
      candidate: figuresForGate(outcome.candidate),
      active: figuresForGate(outcome.active),
      feedbackItems: recentItems,
    });
    const evaluation = {
      jobId: job.id,
      trigger: job.trigger,
      reason: payload.reason,
      gate,
      figures: { candidate: outcome.candidate, active: outcome.active },
      feedback: selection.report,
      trainExamples: outcome.trainExamples,
      trainSeconds: outcome.seconds,
      trainPeakRssMiB: outcome.peakRssMiB,
    };
    const registered = await d.registry.registerCandidate({
      manifest: outcome.manifest,
      artefactDir: outDir,
      metrics: {
        ...prefixed('holdout', outcome.candidate.holdout),
        ...(outcome.candidate.feedback === null
          ? {}
          : { 'recentFeedback.accuracy': outcome.candidate.feedback.accuracy }),
      },
      evaluation,
      actor: `retrain-job:${job.id}`,
      reason: `retrained from ${parent.version} (${job.trigger}: ${payload.reason})`,
    });
    let status: string = registered.status;
    let outcomeLine: string;
    if (!gate.passed) {
      outcomeLine = `refused by the gate: ${gate.reasons.join('; ')}`;
    } else if (d.settings.gate.promotesTo === 'candidate') {
      outcomeLine = 'passed the gate; left as a candidate (GATE_PROMOTES_TO=candidate)';
    } else {
      const current = await d.registry.active(job.family);
      if (current?.version !== parent.version) {
        outcomeLine = `passed the gate, but the active model changed to ${current?.version ?? 'none'} during training; left as a candidate`;
      } else {
        const promoted = await d.registry.promote(
          registered,
          d.settings.gate.promotesTo,
          'gate',
          `passed the gate against ${parent.version}: ${gate.checks.map((c) => c.detail).join('; ')}`,
        );
        status = promoted.changed.status;
        outcomeLine = `passed the gate; now ${status}`;
      }
    }
    const summary = `${version}: ${outcomeLine}`;
    return {
      summary,
      family: job.family,
      candidateVersion: version,
      parentVersion: parent.version,
      gate,
      status,
      figures: { candidate: outcome.candidate, active: outcome.active },
      feedback: selection.report,
      trainExamples: outcome.trainExamples,
      trainSeconds: outcome.seconds,
      trainPeakRssMiB: outcome.peakRssMiB,
    };
  }

  async #baseData(): Promise<string | null> {
    const path = this.#d.settings.baseData;
    if (path === 'none') return null;
    try {
      await access(path);
    } catch (cause) {
      throw new AppError(
        'CS_ERR_INPUT_UNREADABLE',
        `Retraining needs labelled base data, but RETRAIN_BASE_DATA=${path} cannot be read (point it at the public data folder or a labelled JSON lines file, or set it to none)`,
        { cause },
      );
    }
    return path;
  }

  /** Every feedback item (newest MAX_FEEDBACK), with the source of the prediction it answers. */
  async #feedback(): Promise<FeedbackInput[]> {
    const { feedback, predictions } = this.#d.store;
    const all: StoredFeedback[] = [];
    let after: { createdAt: number; id: string } | null = null;
    for (;;) {
      const page = await feedback.listAfter(after, 1_000);
      all.push(...page);
      if (all.length > MAX_FEEDBACK) all.splice(0, all.length - MAX_FEEDBACK);
      if (page.length < 1_000) break;
      const last = page[page.length - 1]!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    const out: FeedbackInput[] = [];
    for (const [i, f] of all.entries()) {
      // SQLite lookups are synchronous: let requests in between, so the API keeps answering while a job reads many items.
      if (i % LOOKUPS_PER_TURN === LOOKUPS_PER_TURN - 1) await nextTurn();
      const p =
        (f.predictionId === null ? undefined : await predictions.get(f.predictionId)) ??
        (await predictions.latestByTextSha256(f.textSha256));
      out.push({
        id: f.id,
        createdAt: f.createdAt,
        text: f.text,
        correctLabel: f.correctLabel,
        analyst: f.analyst,
        apiKeyId: f.apiKeyId,
        source: sourceKey(p?.source ?? undefined) ?? null,
      });
    }
    return out;
  }
}

function figuresForGate(f: ModelFigures) {
  return {
    holdoutMacroF1: f.holdout.macroF1,
    holdoutAccuracy: f.holdout.accuracy,
    feedbackAccuracy: f.feedback?.accuracy ?? null,
  };
}
