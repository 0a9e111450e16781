import Type from 'typebox';

/**
 * Environment variables of the self-learning loop (retraining, promotion gate,
 * experiments, drift, review queue, source reputation), spread into the one
 * `EnvSchema`. Every variable has a default, so the embedded setup needs none.
 * `src/learning/settings.ts` turns them into the module's typed settings.
 */
export const LEARNING_ENV = {
  /** Retrain after this many new feedback items (counted across replicas in the store); 0 switches the trigger off. Default 200. */
  RETRAIN_EVERY_FEEDBACK: Type.Integer({ default: 200, minimum: 0, maximum: 10_000_000 }),
  /** Retrain every this many minutes; 0 switches the schedule off. Default 0. */
  RETRAIN_SCHEDULE_MINUTES: Type.Integer({ default: 0, minimum: 0, maximum: 525_600 }),
  /**
   * A drift alarm queues a retraining (at most once per DRIFT_RETRAIN_COOLDOWN_MINUTES). Default false:
   * drift brings no labels, so a retraining on it alone mostly reproduces the active model at full cost.
   */
  RETRAIN_ON_DRIFT: Type.Boolean({ default: false }),
  /**
   * Labelled base training data for retraining: the public data folder (read like `cyberstreams train`
   * does: the same corpus and split as the shipped model) or a JSON lines file (`{text, label|severity,
   * source?, published?}`, optionally .gz). `none`: candidates learn from feedback alone (the gate will
   * usually refuse them). Default `../shared/data`; a job fails with a clear error when it is missing.
   */
  RETRAIN_BASE_DATA: Type.String({ default: '../shared/data', minLength: 1 }),
  /** The fixed holdout the gate evaluates on (JSON lines as above). Default the shipped `assets/learning/gate-holdout.jsonl.gz`. */
  RETRAIN_HOLDOUT: Type.Optional(Type.String({ minLength: 1 })),
  /** Loss weight of one feedback example relative to one base example. Default 2. */
  RETRAIN_FEEDBACK_WEIGHT: Type.Number({ default: 2, exclusiveMinimum: 0, maximum: 100 }),
  /** Largest share of the feedback examples one analyst may contribute (the rest of theirs is left out). Default 0.25. */
  RETRAIN_MAX_ANALYST_SHARE: Type.Number({ default: 0.25, exclusiveMinimum: 0, maximum: 1 }),
  /** Largest share of the feedback examples one source may contribute. Default 0.25. */
  RETRAIN_MAX_SOURCE_SHARE: Type.Number({ default: 0.25, exclusiveMinimum: 0, maximum: 1 }),
  /** The share caps never cut one analyst or source below this many items. Default 50. */
  RETRAIN_CAP_MIN_ITEMS: Type.Integer({ default: 50, minimum: 1, maximum: 10_000_000 }),
  /** Share of the newest feedback held out of training to compare candidate and active on. Default 0.25. */
  RETRAIN_RECENT_SHARE: Type.Number({ default: 0.25, exclusiveMinimum: 0, maximum: 0.9 }),
  /** Gate: largest allowed drop of holdout macro-F1 below the active model's. Default 0.005. */
  GATE_MAX_MACRO_F1_DROP: Type.Number({ default: 0.005, minimum: 0, maximum: 1 }),
  /** Gate: the candidate's accuracy on recent feedback must beat the active's by more than this. Default 0. */
  GATE_MIN_FEEDBACK_GAIN: Type.Number({ default: 0, minimum: -1, maximum: 1 }),
  /** Gate: fewest recent feedback items needed to judge; fewer refuses the candidate. Default 5. */
  GATE_MIN_FEEDBACK_ITEMS: Type.Integer({ default: 5, minimum: 0, maximum: 1_000_000 }),
  /** What a candidate that passes the gate becomes: `active` (promoted), `canary`, `shadow` or `candidate` (by hand). */
  GATE_PROMOTES_TO: Type.Enum(['active', 'canary', 'shadow', 'candidate'], { default: 'active' }),
  /** Retraining attempts per job before it fails (BullMQ and in process). Default 3. */
  RETRAIN_ATTEMPTS: Type.Integer({ default: 3, minimum: 1, maximum: 20 }),
  /** First retry delay in ms, doubled each retry. Default 10,000. */
  RETRAIN_BACKOFF_MS: Type.Integer({ default: 10_000, minimum: 0, maximum: 3_600_000 }),
  /** In process mode, train in a child process (true) or on the server's own thread (false: tests only). Default true. */
  RETRAIN_IN_CHILD_PROCESS: Type.Boolean({ default: true }),
  /** How often each replica reads the registry (to pick up a promotion or rollback) and the feedback count, in ms. Default 5,000. */
  MODEL_POLL_MS: Type.Integer({ default: 5_000, minimum: 100, maximum: 3_600_000 }),
  /** Share of traffic a canary answers (sticky per API key or item id). Default 0.1. */
  CANARY_SHARE: Type.Number({ default: 0.1, minimum: 0, maximum: 1 }),
  /** Live predictions in the drift window (per replica). Default 2,000. */
  DRIFT_WINDOW: Type.Integer({ default: 2_000, minimum: 10, maximum: 1_000_000 }),
  /** Fewest predictions in the window before drift is reported and alarms. Default 300. */
  DRIFT_MIN_SAMPLES: Type.Integer({ default: 300, minimum: 1, maximum: 1_000_000 }),
  /**
   * Most predictions per second (per replica) featurized for drift; above it a systematic sample
   * (every k-th) is measured, so drift costs a bounded share of the CPU under load. 0: every one. Default 50.
   */
  DRIFT_MAX_PER_SECOND: Type.Integer({ default: 50, minimum: 0, maximum: 1_000_000 }),
  /** PSI above which a feature family or the class mix raises the drift alarm. Default 0.25. */
  DRIFT_PSI_ALARM: Type.Number({ default: 0.25, exclusiveMinimum: 0, maximum: 100 }),
  /**
   * Feature families whose PSI can raise the alarm (comma-separated; the class mix always can). Default
   * the text-derived ones: `source` and `temporal` move whenever clients start or stop sending a source or
   * a date, which is worth reporting but not an alarm.
   */
  DRIFT_ALARM_FAMILIES: Type.String({
    default: 'embedding,entities,tone,statistics,keywords,patterns',
    pattern:
      '^(embedding|source|temporal|entities|tone|statistics|keywords|patterns)(,(embedding|source|temporal|entities|tone|statistics|keywords|patterns))*$',
  }),
  /** Least time between two drift-triggered retrainings, in minutes. Default 360. */
  DRIFT_RETRAIN_COOLDOWN_MINUTES: Type.Integer({ default: 360, minimum: 1, maximum: 525_600 }),
  /** Recent unanswered predictions the review queue ranks. Default 5,000. */
  REVIEW_WINDOW: Type.Integer({ default: 5_000, minimum: 10, maximum: 1_000_000 }),
  /** Fraction of the way to the floor a corrected item moves its source's reputation. Default 0.05. */
  REPUTATION_RATE: Type.Number({ default: 0.05, exclusiveMinimum: 0, maximum: 1 }),
  /** Lowest reputation a source can reach. Default 0.1. */
  REPUTATION_FLOOR: Type.Number({ default: 0.1, minimum: 0, exclusiveMaximum: 1 }),
} as const;
