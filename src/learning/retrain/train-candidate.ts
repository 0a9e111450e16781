import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, fixedClock } from '../../core/index.js';
import { parseFeatureArtefacts, sourceKey } from '../../features/index.js';
import { importLabelledJsonl, type LabelledDoc } from '../../ingest/index.js';
import {
  evaluateSeverity,
  loadRetrainBase,
  loadSeverityModel,
  type RetrainBase,
  readManifest,
  retrainSeverityModel,
  type SeverityClass,
  type SeverityModel,
} from '../../model/index.js';
import { writeDriftReference } from '../drift/drift-files.js';
import type { FeedbackExample } from './feedback-selection.js';
import {
  type CandidateTrainer,
  GATE_MIN_CLASS_SUPPORT,
  type ModelFigures,
  type TrainOutcome,
  type TrainProgress,
  type TrainSpec,
} from './train-spec.js';

/** Reads the gate's holdout (labelled JSON lines); lines without a label are skipped. */
export async function readHoldout(path: string): Promise<LabelledDoc[]> {
  const docs: LabelledDoc[] = [];
  for await (const d of importLabelledJsonl(path)) if (d.label !== undefined) docs.push(d);
  return docs;
}

/** A model's figures on the holdout and on recent feedback. */
export function modelFigures(
  model: SeverityModel,
  holdout: readonly LabelledDoc[],
  recent: readonly FeedbackExample[],
): ModelFigures {
  const probs = model
    .predictBatch(
      holdout.map((d) => ({ text: d.text, ...(d.source === undefined ? {} : { source: d.source }) })),
    )
    .map((p) => p.probabilities);
  const truth = holdout.map((d) => d.label as SeverityClass);
  const five = evaluateSeverity(truth, probs, { classes: 5 });
  const four = evaluateSeverity(truth, probs, { classes: 4 });
  const counted = Object.values(five.perClass).filter((m) => m.support >= GATE_MIN_CLASS_SUPPORT);
  let feedback: ModelFigures['feedback'] = null;
  if (recent.length > 0) {
    const answers = model.predictBatch(
      recent.map((e) => ({ text: e.text, ...(e.source === null ? {} : { source: e.source }) })),
    );
    const right = answers.filter((a, i) => a.severity === recent[i]!.label).length;
    feedback = { n: recent.length, accuracy: right / recent.length };
  }
  return {
    holdout: {
      n: five.n,
      accuracy: five.accuracy,
      macroF1: counted.length === 0 ? 0 : counted.reduce((s, c) => s + c.f1, 0) / counted.length,
      macroF1Classes: counted.length,
      macroF1All: five.macroF1,
      ece: five.ece,
      accuracy4: four.accuracy,
      macroF1_4: four.macroF1,
    },
    feedback,
  };
}

function feedbackDoc(e: FeedbackExample): LabelledDoc {
  return {
    id: e.id,
    text: e.text,
    label: e.label,
    labelSource: 'given',
    labelDetail: 'analyst feedback',
    cwes: [],
    format: 'jsonl',
    ...(e.source === null ? {} : { source: e.source }),
  };
}

/**
 * The CPU part of a retraining: reads the base data and the holdout, retrains
 * the parent's family with the selected feedback into `spec.outDir`, scores
 * candidate and parent on the holdout and the recent feedback, and writes the
 * candidate's drift reference. Removes the directory again when it fails.
 */
export async function trainCandidate(
  spec: TrainSpec,
  progress: TrainProgress,
  signal: AbortSignal,
  clock: Clock = fixedClock(spec.now),
): Promise<TrainOutcome> {
  const t0 = performance.now();
  const check = () => {
    if (signal.aborted) throw new Error('retraining aborted');
  };
  try {
    progress(0.02, 'reading the parent model and the holdout');
    const parentManifest = await readManifest(spec.parentDir);
    const holdout = await readHoldout(spec.holdoutPath);
    progress(
      0.05,
      spec.baseData === null ? 'no base data: feedback only' : `reading base data ${spec.baseData}`,
    );
    const seed = Number(spec.overrides.seed ?? parentManifest.hyperparameters.seed ?? 42);
    const base: RetrainBase =
      spec.baseData === null
        ? { train: [], validation: [], description: 'no base data' }
        : await loadRetrainBase(spec.baseData, seed);
    if (base.validation.length === 0) {
      // Calibration needs labelled examples the fit did not see: fall back on part of the training feedback.
      const cut = Math.max(1, Math.floor(spec.feedbackTrain.length * 0.15));
      base.validation = spec.feedbackTrain.slice(0, cut).map(feedbackDoc);
    }
    check();
    const weights = spec.sourceWeights;
    const hasWeights = Object.keys(weights).length > 0;
    progress(0.15, `training on ${base.train.length} base + ${spec.feedbackTrain.length} feedback texts`);
    let lastEpoch = 0.15;
    const { manifest, trainDocs } = await retrainSeverityModel(
      {
        parent: parentManifest,
        base,
        extra: spec.feedbackTrain.map((e) => ({ doc: feedbackDoc(e), weight: e.weight })),
        ...(hasWeights
          ? {
              baseWeight: (d: LabelledDoc) => {
                const key = sourceKey(d.source);
                return key === undefined ? 1 : (weights[key] ?? 1);
              },
            }
          : {}),
        overrides: spec.overrides,
        version: spec.version,
        clock,
        hooks: {
          onEpoch: (phase, info) => {
            lastEpoch = Math.min(0.8, lastEpoch + 0.6 / Math.max(1, info.epochs * 2));
            progress(lastEpoch, `${phase}: epoch ${info.epoch}/${info.epochs}, loss ${info.loss.toFixed(4)}`);
            check();
          },
        },
      },
      spec.outDir,
    );
    check();
    progress(0.82, 'evaluating candidate and active model');
    const candidateModel = await loadSeverityModel(spec.outDir);
    const parentModel = await loadSeverityModel(spec.parentDir);
    try {
      const candidate = modelFigures(candidateModel, holdout, spec.recent);
      const active = modelFigures(parentModel, holdout, spec.recent);
      progress(0.92, 'writing the drift reference');
      const ownFeatures = manifest.files.features;
      const artefacts =
        ownFeatures === undefined
          ? undefined
          : parseFeatureArtefacts(await readFile(join(spec.outDir, ownFeatures), 'utf8'), ownFeatures);
      await writeDriftReference(spec.outDir, {
        ...(artefacts === undefined ? {} : { artefacts }),
        docs: trainDocs.map((d) => ({
          text: d.text,
          ...(d.source === undefined ? {} : { source: d.source }),
          ...(d.published === undefined ? {} : { published: d.published }),
        })),
        model: candidateModel,
        description: `training examples of ${spec.version} (evenly spaced sample)`,
        now: spec.now,
        seed,
      });
      return {
        manifest,
        candidate,
        active,
        trainExamples: trainDocs.length,
        driftReference: true,
        seconds: (performance.now() - t0) / 1000,
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      };
    } finally {
      candidateModel.dispose();
      parentModel.dispose();
    }
  } catch (err) {
    await rm(spec.outDir, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
}

/** Trains on the calling thread (tests, and the dedicated worker process). */
export const inlineTrainer: CandidateTrainer = {
  train: (spec, progress, signal) => trainCandidate(spec, progress, signal),
};
