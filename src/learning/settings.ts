import type { Config } from '../config/index.js';
import type { FeatureFamily } from '../features/index.js';

/** What a candidate that passes the gate becomes. */
export type PromotionTarget = 'active' | 'canary' | 'shadow' | 'candidate';

/** The promotion gate's thresholds. */
export interface GateSettings {
  /** Largest allowed drop of holdout macro-F1 below the active model's. Default 0.005. */
  maxMacroF1Drop: number;
  /** The candidate's recent-feedback accuracy must exceed the active's by more than this. Default 0. */
  minFeedbackGain: number;
  /** Fewest recent feedback items to judge on; fewer refuses. Default 5. */
  minFeedbackItems: number;
  /** Status a passing candidate gets. Default `active`. */
  promotesTo: PromotionTarget;
}

/** How feedback becomes training data. */
export interface FeedbackSelectionSettings {
  /** Loss weight of a feedback example relative to a base example. Default 2. */
  feedbackWeight: number;
  /** Largest share of the feedback one analyst may contribute. Default 0.25. */
  maxAnalystShare: number;
  /** Largest share of the feedback one source may contribute. Default 0.25. */
  maxSourceShare: number;
  /** The caps never cut anyone below this many items. Default 50. */
  capMinItems: number;
  /** Share of the newest feedback held out for the gate. Default 0.25. */
  recentShare: number;
}

/** Everything the self-learning loop can be told, with the defaults of `src/config/learning-env.ts`. */
export interface LearningSettings {
  gate: GateSettings;
  selection: FeedbackSelectionSettings;
  /** New feedback items that trigger a retraining; 0 off. */
  retrainEveryFeedback: number;
  /** Minutes between scheduled retrainings; 0 off. */
  retrainScheduleMinutes: number;
  retrainOnDrift: boolean;
  /** Least time between drift-triggered retrainings, ms. */
  driftRetrainCooldownMs: number;
  /** Labelled base data (file or public data folder), or `none`. */
  baseData: string;
  /** The gate's fixed holdout (JSON lines), or undefined for the shipped one. */
  holdout: string | undefined;
  attempts: number;
  backoffMs: number;
  trainInChildProcess: boolean;
  modelPollMs: number;
  canaryShare: number;
  driftWindow: number;
  driftMinSamples: number;
  driftPsiAlarm: number;
  /** Most predictions featurized for drift per second (0: all). */
  driftMaxPerSecond: number;
  /** Feature families whose PSI can raise the drift alarm. */
  driftAlarmFamilies: FeatureFamily[];
  reviewWindow: number;
  reputationRate: number;
  reputationFloor: number;
}

/** The loop's settings from the validated configuration. */
export function learningSettingsFrom(config: Config): LearningSettings {
  return {
    gate: {
      maxMacroF1Drop: config.GATE_MAX_MACRO_F1_DROP,
      minFeedbackGain: config.GATE_MIN_FEEDBACK_GAIN,
      minFeedbackItems: config.GATE_MIN_FEEDBACK_ITEMS,
      promotesTo: config.GATE_PROMOTES_TO as PromotionTarget,
    },
    selection: {
      feedbackWeight: config.RETRAIN_FEEDBACK_WEIGHT,
      maxAnalystShare: config.RETRAIN_MAX_ANALYST_SHARE,
      maxSourceShare: config.RETRAIN_MAX_SOURCE_SHARE,
      capMinItems: config.RETRAIN_CAP_MIN_ITEMS,
      recentShare: config.RETRAIN_RECENT_SHARE,
    },
    retrainEveryFeedback: config.RETRAIN_EVERY_FEEDBACK,
    retrainScheduleMinutes: config.RETRAIN_SCHEDULE_MINUTES,
    retrainOnDrift: config.RETRAIN_ON_DRIFT,
    driftRetrainCooldownMs: config.DRIFT_RETRAIN_COOLDOWN_MINUTES * 60_000,
    baseData: config.RETRAIN_BASE_DATA,
    holdout: config.RETRAIN_HOLDOUT,
    attempts: config.RETRAIN_ATTEMPTS,
    backoffMs: config.RETRAIN_BACKOFF_MS,
    trainInChildProcess: config.RETRAIN_IN_CHILD_PROCESS,
    modelPollMs: config.MODEL_POLL_MS,
    canaryShare: config.CANARY_SHARE,
    driftWindow: config.DRIFT_WINDOW,
    driftMinSamples: config.DRIFT_MIN_SAMPLES,
    driftPsiAlarm: config.DRIFT_PSI_ALARM,
    driftMaxPerSecond: config.DRIFT_MAX_PER_SECOND,
    driftAlarmFamilies: config.DRIFT_ALARM_FAMILIES.split(',') as FeatureFamily[],
    reviewWindow: config.REVIEW_WINDOW,
    reputationRate: config.REPUTATION_RATE,
    reputationFloor: config.REPUTATION_FLOOR,
  };
}
