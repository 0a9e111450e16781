import Type, { type Static } from 'typebox';

const Num = Type.Number();

/** Drift of one feature family. */
export const FamilyDriftSchema = Type.Object(
  {
    family: Type.String(),
    /** Mean PSI over the family's slots that vary in the reference. */
    psi: Num,
    /** Largest single-slot PSI in the family. */
    maxSlotPsi: Num,
    /** Slot with the largest PSI. */
    maxSlot: Type.String(),
    /** Largest KS statistic over the family's numeric slots (0 when it has none). */
    maxKs: Num,
  },
  { additionalProperties: false },
);

/** KS result of one numeric slot. */
export const SlotKsSchema = Type.Object(
  {
    slot: Type.String(),
    index: Type.Integer(),
    statistic: Num,
    pValue: Num,
  },
  { additionalProperties: false },
);

/** The drift of live traffic against the active model's training reference, as the API reports it. */
export const DriftReportSchema = Type.Object(
  {
    model: Type.Union([
      Type.Object({ family: Type.String(), version: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    /** Predictions in the sliding window (this replica). */
    samples: Type.Integer({ minimum: 0 }),
    /** Of those, with a feature vector (the reference has slots and a featurizer is loaded). */
    vectorSamples: Type.Integer({ minimum: 0 }),
    /** The window holds enough samples for the figures to mean something (DRIFT_MIN_SAMPLES). */
    ready: Type.Boolean(),
    /** PSI of the predicted-class mix against the reference's; null without a reference. */
    classMixPsi: Type.Union([Num, Type.Null()]),
    /** Live share of each predicted class. */
    classMix: Type.Record(Type.String(), Num),
    families: Type.Array(FamilyDriftSchema),
    /** KS per numeric slot, largest statistic first. */
    ks: Type.Array(SlotKsSchema),
    /** True when ready and a PSI is above DRIFT_PSI_ALARM. */
    alarm: Type.Boolean(),
    /** What raised the alarm, or why there is none (no reference, too few samples). */
    reasons: Type.Array(Type.String()),
    /** PSI alarm threshold in force. */
    psiAlarm: Num,
    generatedAt: Type.String(),
  },
  { additionalProperties: false },
);

/** A drift report. */
export type DriftReport = Static<typeof DriftReportSchema>;
