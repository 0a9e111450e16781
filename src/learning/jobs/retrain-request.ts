import Type, { type Static } from 'typebox';

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

/** Thrown by a job when the family's training lease is held by another worker: run it later, not counted as a failure. */
export class TrainingBusyError extends Error {
  constructor(family: string) {
    super(`Another worker is training ${family}`);
    this.name = 'TrainingBusyError';
  }
}
