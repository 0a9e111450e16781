import Type, { type Static } from 'typebox';
import { SEVERITY_CLASSES } from '../../model/index.js';

/** Longest accepted text, in characters (Unicode code points). */
export const TEXT_MAX_CHARS = 100_000;

/** A text to analyse: 1..100,000 characters, not only white space. */
export const TextSchema = Type.String({
  minLength: 1,
  maxLength: TEXT_MAX_CHARS,
  // At least one non-space character: a blank text is a client mistake, not a prediction.
  pattern: '\\S',
  description: 'The text to analyse: 1 to 100,000 characters, not only white space.',
});

/** One of the five severity classes. */
export const SeveritySchema = Type.Enum([...SEVERITY_CLASSES], {
  description: 'Severity class.',
});

/** The severity classes as a type. */
export type Severity = Static<typeof SeveritySchema>;

/** Which model answered. */
export const ModelRefSchema = Type.Object(
  {
    family: Type.String({ description: 'Model family, e.g. hashed-ngram.' }),
    version: Type.String({ description: 'Model version, from its manifest.' }),
  },
  { additionalProperties: false },
);

/** A model reference. */
export type ModelRef = Static<typeof ModelRefSchema>;

/** A number in [0, 1] or null. */
export function nullableUnit(description: string) {
  return Type.Unsafe<number | null>({ type: ['number', 'null'], minimum: 0, maximum: 1, description });
}

/** An RFC 9457 problem document, as every error response carries. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable error code (CS_ERR_...).' }),
    instance: Type.Optional(Type.String({ description: 'The request id.' })),
    fields: Type.Optional(
      Type.Array(
        Type.Object({ field: Type.String(), message: Type.String() }, { additionalProperties: true }),
        { description: 'The offending fields, for validation errors.' },
      ),
    ),
  },
  { additionalProperties: true, description: 'application/problem+json error body.' },
);

/**
 * Query of a route that takes no query parameters: any parameter is a 400
 * naming it, rather than silently ignored.
 */
export const NoQuerySchema = Type.Object({}, { additionalProperties: false });

/**
 * Query of the probe and scrape routes (`/health`, `/ready`, Prometheus
 * `/metrics`): they take no parameters but ignore any they are sent, since
 * load balancers, orchestrators and scrape configurations add their own
 * (cache busters, `params:` of a Prometheus job), and a probe answering 400
 * would take a healthy replica out of service.
 */
export const ProbeQuerySchema = Type.Object({}, { additionalProperties: true });

/** Error responses a protected JSON route documents. */
export const PROTECTED_ERRORS = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  413: ProblemSchema,
  429: ProblemSchema,
  503: ProblemSchema,
} as const;
