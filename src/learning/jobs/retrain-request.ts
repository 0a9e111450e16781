import Type, { type Static } from 'typebox';
import { AppError } from '../../core/index.js';
import { retrainSettingsProblems } from '../../model/index.js';

/** What asked for a retraining. */
export const RETRAIN_TRIGGERS = ['manual', 'feedback', 'schedule', 'drift'] as const;

/** One of {@link RETRAIN_TRIGGERS}. */
export type RetrainTrigger = (typeof RETRAIN_TRIGGERS)[number];

/** Parameters of a retraining job, stored with its record (JSON-safe). */
export const RetrainPayloadSchema = Type.Object(
  {
    /** Why, in words (shown in the job and the model's history). */
    reason: Type.String({ maxLength: 500 }),
    /**
     * Training settings to override for this run (`key=value` names of the
     * model family's settings, e.g. `epochs`), on top of the parent's.
     */
    settings: Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 200 }), {
      maxProperties: 50,
    }),
  },
  { additionalProperties: false },
);

/** Parameters of a retraining job. */
export type RetrainPayload = Static<typeof RetrainPayloadSchema>;

/** A request to retrain one model family. */
export interface RetrainRequest {
  family: string;
  trigger: RetrainTrigger;
  /** `cli`, `api:<key id>`, `system`. */
  requestedBy: string | null;
  payload: RetrainPayload;
}

/**
 * Refuses (CS_ERR_VALIDATION, naming each problem) training settings the
 * family's trainer would reject, before a job is recorded.
 */
export function assertRetrainSettings(family: string, settings: Readonly<Record<string, string>>): void {
  const problems = retrainSettingsProblems(family, settings);
  if (problems.length > 0) {
    throw new AppError('CS_ERR_VALIDATION', `Invalid retraining settings: ${problems.join('; ')}`, {
      details: { fields: problems.map((message) => ({ field: 'settings', message })) },
    });
  }
}

/** Thrown by a job when the family's training lease is held by another worker: run it later, not counted as a failure. */
export class TrainingBusyError extends Error {
  constructor(family: string) {
    super(`Another worker is training ${family}`);
    this.name = 'TrainingBusyError';
  }
}
