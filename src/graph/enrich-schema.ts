import Type, { type Static } from 'typebox';
import { IndicatorInputSchema, TechniqueInputSchema } from './threats.js';

/**
 * Input and output of `enrich()`, as TypeBox schemas so the HTTP route can use
 * them for `POST /api/v1/enrich` validation and its OpenAPI description.
 */

/** Input of `enrich()`. */
export const EnrichInputSchema = Type.Object(
  {
    /** Free text: actors and software named in it count as evidence. At most 200,000 characters. */
    text: Type.Optional(Type.String({ maxLength: 200_000 })),
    indicators: Type.Optional(Type.Array(IndicatorInputSchema, { maxItems: 2000 })),
    /** Techniques found in the text, `{id, score, sentences?}` as the technique mapper returns them. */
    techniques: Type.Optional(Type.Array(TechniqueInputSchema, { maxItems: 300 })),
    cves: Type.Optional(
      Type.Array(Type.String({ pattern: '^[Cc][Vv][Ee]-\\d{4}-\\d{4,}$' }), { maxItems: 500 }),
    ),
    /** A threat node to leave out of related threats (the caller's own, e.g. `threat:<predictionId>`). */
    excludeThreatId: Type.Optional(Type.String({ maxLength: 300 })),
    /** Most related threats returned, 1..100. Default 10. */
    maxThreats: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /** Most actors returned, 1..50. Default 10. */
    maxActors: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);

/** Input of `enrich()`. */
export type EnrichInput = Static<typeof EnrichInputSchema>;

/** Longest text of an enrichment request, in characters (as for a prediction). */
export const ENRICH_TEXT_MAX_CHARS = 100_000;

/**
 * An enrichment request: the body of `POST /api/v1/enrich` and the input of
 * `cyberstreams graph enrich`, one schema for both. Turned into an
 * {@link EnrichInput} by the one enricher `src/main` wires (extraction of the
 * text's indicators and CVEs, technique mapping, the stored prediction).
 */
export const EnrichRequestSchema = Type.Object(
  {
    text: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: ENRICH_TEXT_MAX_CHARS,
        // At least one non-space character: a blank text is a client mistake.
        pattern: '\\S',
        description: 'The text to analyse: 1 to 100,000 characters, not only white space.',
      }),
    ),
    predictionId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'A stored prediction.',
      }),
    ),
    indicators: Type.Optional(
      Type.Array(IndicatorInputSchema, {
        maxItems: 2000,
        description:
          'Values may be defanged (evil[.]example, hxxp://...); each must be a valid indicator of its type.',
      }),
    ),
    techniques: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ pattern: '^T\\d{4}(\\.\\d{3})?$' }),
            score: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Default 1.' })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 300 },
      ),
    ),
    cves: Type.Optional(
      Type.Array(Type.String({ pattern: '^[Cc][Vv][Ee]-\\d{4}-\\d{4,}$' }), { maxItems: 500 }),
    ),
    maxThreats: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Default 10.' })),
    maxActors: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Default 10.' })),
  },
  {
    additionalProperties: false,
    description:
      'Give text, or predictionId, or any of indicators/techniques/cves. With text, the indicators, CVEs and techniques found in it are added.',
  },
);

/** An enrichment request ({@link EnrichRequestSchema}). */
export type EnrichRequest = Static<typeof EnrichRequestSchema>;

const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const Indicator = Type.Object({ type: Type.String(), value: Type.String() });

/** A technique of the input, with what the graph knows of it. */
export const EnrichedTechniqueSchema = Type.Object({
  id: Type.String(),
  /** Undefined when the graph does not know the technique. */
  name: Type.Optional(Type.String()),
  score: Type.Number(),
  sentences: Type.Optional(Type.Array(Type.String())),
  tactics: Type.Array(Ref),
});

/** A stored threat sharing indicators or techniques with the input. */
export const RelatedThreatSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  severity: Type.Optional(Type.String()),
  observedAt: Type.Optional(Type.String()),
  /** 0..1: 1 - exp(-(shared indicators + weighted share of the input's techniques)). */
  score: Type.Number(),
  shared: Type.Object({ indicators: Type.Array(Indicator), techniques: Type.Array(Type.String()) }),
});

/** An actor the evidence points to. */
export const ActorMatchSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  attackId: Type.Optional(Type.String()),
  /** 0..1, a heuristic combination of the evidence (see src/graph/README.md); not a calibrated probability. */
  score: Type.Number(),
  evidence: Type.Object({
    /** Input techniques the actor uses (`exact`) or whose parent technique it uses (`parent`). */
    techniques: Type.Array(
      Type.Object({ id: Type.String(), match: Type.Union([Type.Literal('exact'), Type.Literal('parent')]) }),
    ),
    /** Software it uses that the text names or an input indicator points to. */
    software: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), via: Type.String() })),
    /** Input indicators linked to it (directly, or through a threat attributed to it). */
    indicators: Type.Array(Type.Object({ type: Type.String(), value: Type.String(), via: Type.String() })),
    /** Names of it found in the text. */
    aliases: Type.Array(Type.Object({ text: Type.String(), kind: Type.String() })),
  }),
  campaigns: Type.Array(Ref),
  targets: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() })),
});

/** A mitigation of input techniques. */
export const MitigationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  attackId: Type.Optional(Type.String()),
  /** Input techniques it mitigates (a sub-technique counts when its parent is mitigated). */
  techniques: Type.Array(Type.String()),
});

/** KEV status of an input CVE. */
export const VulnerabilityStatusSchema = Type.Object({
  cve: Type.String(),
  inKev: Type.Boolean(),
  dateAdded: Type.Optional(Type.String()),
  dueDate: Type.Optional(Type.String()),
  ransomware: Type.Optional(Type.Boolean()),
  vendor: Type.Optional(Type.String()),
  product: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  /** ATT&CK techniques the CVE maps to (Mappings Explorer), with the mapping types. */
  techniques: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), mappingTypes: Type.Array(Type.String()) }),
  ),
});

/** A "usually seen together" technique. */
export const SuggestionSchema = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  support: Type.Number(),
  confidence: Type.Number(),
  lift: Type.Number(),
  because: Type.Array(Type.String()),
});

/** Output of `enrich()`. */
export const EnrichResultSchema = Type.Object({
  techniques: Type.Array(EnrichedTechniqueSchema),
  relatedThreats: Type.Array(RelatedThreatSchema),
  actors: Type.Array(ActorMatchSchema),
  mitigations: Type.Array(MitigationSchema),
  vulnerabilities: Type.Array(VulnerabilityStatusSchema),
  suggestedTechniques: Type.Array(SuggestionSchema),
  /** Actors and software named in the text. */
  mentions: Type.Array(
    Type.Object({
      id: Type.String(),
      type: Type.String(),
      name: Type.String(),
      text: Type.String(),
      start: Type.Integer(),
      end: Type.Integer(),
    }),
  ),
});

/** Output of `enrich()`. */
export type EnrichResult = Static<typeof EnrichResultSchema>;
/** One actor of {@link EnrichResult}. */
export type ActorMatch = Static<typeof ActorMatchSchema>;
