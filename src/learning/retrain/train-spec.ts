import type { ModelManifest } from '../../model/index.js';
import type { FeedbackExample } from './feedback-selection.js';

/**
 * Everything the CPU-heavy part of a retraining needs, JSON-safe so it can be
 * sent to a child process: where the parent and the base data are, the
 * selected feedback, where to write the candidate.
 */
export interface TrainSpec {
  family: string;
  /** The new version's name. */
  version: string;
  /** Where to write the candidate (created). */
  outDir: string;
  /** The active model's directory (the parent: settings and comparison). */
  parentDir: string;
  /** Directories to look for the parent's drift reference in (unused for training). */
  parentDriftDirs: string[];
  /** Labelled base data (file or public data folder), or null to train on feedback alone. */
  baseData: string | null;
  /** The gate's holdout (JSON lines). */
  holdoutPath: string;
  /** Settings on top of the parent's. */
  overrides: Record<string, string>;
  /** Training feedback. */
  feedbackTrain: FeedbackExample[];
  /** Newest feedback, held out for the gate. */
  recent: FeedbackExample[];
  /** Loss-weight multiplier of base examples by source key (from learned reputations); absent sources get 1. */
  sourceWeights: Record<string, number>;
  /** "Now" of the job, ms since the epoch. */
  now: number;
}

/** Fewest holdout examples a class needs to count in the gate's macro-F1. */
export const GATE_MIN_CLASS_SUPPORT = 10;

/** A model's figures on the holdout and on recent feedback. */
export interface ModelFigures {
  /** Figures on the holdout. */
  holdout: {
    n: number;
    /** Five-class accuracy. */
    accuracy: number;
    /**
     * The gate's metric: mean F1 over the classes with at least {@link GATE_MIN_CLASS_SUPPORT}
     * holdout examples (a class with a handful of examples makes macro-F1 jump by whole tenths).
     */
    macroF1: number;
    /** How many classes `macroF1` averages. */
    macroF1Classes: number;
    /** Macro-F1 over every class present in the truth or the predictions (scikit-learn's average). */
    macroF1All: number;
    ece: number;
    /** The four CVSS classes (the project's headline task). */
    accuracy4: number;
    macroF1_4: number;
  };
  /** Accuracy on the recent held-out feedback; null without any. */
  feedback: { n: number; accuracy: number } | null;
}

/** What the CPU part produced. */
export interface TrainOutcome {
  manifest: ModelManifest;
  candidate: ModelFigures;
  active: ModelFigures;
  /** Examples trained on (after weighting). */
  trainExamples: number;
  /** A drift reference was written with the candidate. */
  driftReference: boolean;
  /** Wall time of the CPU part, seconds. */
  seconds: number;
  /**
   * Peak resident memory of the process that trained, MiB (`process.resourceUsage().maxRSS`):
   * the training child's own peak, or, trained on the calling thread, that process's peak so far.
   */
  peakRssMiB: number;
}

/** Reports progress: fraction in [0, 1] and a message. */
export type TrainProgress = (fraction: number, message: string) => void;

/** Runs the CPU part of a retraining (in this thread, or in a child process). */
export interface CandidateTrainer {
  train(spec: TrainSpec, progress: TrainProgress, signal: AbortSignal): Promise<TrainOutcome>;
}
