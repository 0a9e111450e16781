import { createHash } from 'node:crypto';
import { AppError } from '../../core/index.js';
import type { ExperimentObservation } from '../../store/index.js';
import type { LoadedVariant, RoutableInput, ScoredOutput, SlotName } from './variant.js';

/** A variant in a slot, with the requests using it now (so it is disposed only when idle). */
class Slot<I, O> {
  readonly variant: LoadedVariant<I, O>;
  #inflight = 0;
  #retired = false;
  #disposed = false;

  constructor(variant: LoadedVariant<I, O>) {
    this.variant = variant;
  }

  async run(input: I): Promise<{ output: O; ms: number }> {
    this.#inflight++;
    const t0 = performance.now();
    try {
      const output = await this.variant.predictor.predict(input);
      return { output, ms: performance.now() - t0 };
    } finally {
      this.#inflight--;
      if (this.#retired && this.#inflight === 0) this.#dispose();
    }
  }

  /** Disposes now when idle, else after the last request in flight. */
  retire(): void {
    this.#retired = true;
    if (this.#inflight === 0) this.#dispose();
  }

  #dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.variant.predictor.dispose();
  }
}

/** Settings and hooks of a {@link ModelRouter}. */
export interface ModelRouterOptions<I, O> {
  /** Share of requests the canary answers, in [0, 1]. */
  canaryShare: number;
  /** Milliseconds since the epoch for observation times. */
  now: () => number;
  /** Receives paired canary/shadow observations (buffered into the store by the caller). */
  onObservation?: (observation: ExperimentObservation) => void;
  /** Receives every answer of the active model (served or computed alongside a canary), for drift. */
  onActiveAnswer?: (input: I, output: O) => void;
  /** Told about failures of background scoring (shadow, canary pairing); they never fail a request. */
  onBackgroundError?: (err: unknown, slot: SlotName) => void;
  /** Runs background work after the response (default `setImmediate`). */
  defer?: (fn: () => void) => void;
}

/** A model the router knows, for `GET /api/v1/metrics`. */
export interface RoutedModelInfo {
  family: string;
  version: string;
  /** True for the version answering requests by default. */
  active: boolean;
  holdout: Record<string, number> | null;
}

/** Which share bucket, in [0, 1), a routing key falls in for an experiment (stable per key and candidate). */
export function routingBucket(key: string, salt: string): number {
  const digest = createHash('sha256').update(`${salt}\u0000${key}`).digest();
  return digest.readUInt32BE(0) / 4_294_967_296;
}

/**
 * Serves requests from the active model, a configurable share (sticky per API
 * key or item id, by hash) from the canary, and scores every request with the
 * shadow too without changing the response. Swapping a slot never fails a
 * request in flight: a request keeps the variant it started with, and a
 * replaced variant is disposed once its last request is done.
 */
export class ModelRouter<I extends RoutableInput, O extends ScoredOutput> {
  readonly #o: ModelRouterOptions<I, O>;
  readonly #slots: Record<SlotName, Slot<I, O> | undefined> = {
    active: undefined,
    canary: undefined,
    shadow: undefined,
  };
  #canaryShare: number;

  constructor(options: ModelRouterOptions<I, O>) {
    this.#o = options;
    this.#canaryShare = checkShare(options.canaryShare);
  }

  /** Puts a variant in a slot (undefined empties it); the previous one is disposed once idle. */
  set(slot: SlotName, variant: LoadedVariant<I, O> | undefined): void {
    const previous = this.#slots[slot];
    this.#slots[slot] = variant === undefined ? undefined : new Slot(variant);
    if (previous !== undefined && previous.variant !== variant) previous.retire();
  }

  /** The version in a slot, or undefined. */
  version(slot: SlotName): { family: string; version: string } | undefined {
    const v = this.#slots[slot]?.variant;
    return v === undefined ? undefined : { family: v.family, version: v.version };
  }

  /** The variant in a slot, or undefined. */
  variant(slot: SlotName): LoadedVariant<I, O> | undefined {
    return this.#slots[slot]?.variant;
  }

  /** Changes the canary's share of traffic. */
  setCanaryShare(share: number): void {
    this.#canaryShare = checkShare(share);
  }

  /** The canary's share of traffic. */
  get canaryShare(): number {
    return this.#canaryShare;
  }

  /** The active model, or undefined. */
  current(): { family: string; version: string } | undefined {
    return this.version('active');
  }

  /** The loaded versions (active, canary, shadow). */
  models(): RoutedModelInfo[] {
    const out: RoutedModelInfo[] = [];
    for (const name of ['active', 'canary', 'shadow'] as const) {
      const v = this.#slots[name]?.variant;
      if (v !== undefined)
        out.push({ family: v.family, version: v.version, active: name === 'active', holdout: v.holdout });
    }
    return out;
  }

  /**
   * The variant a request would be served by: `canary` when a canary is loaded
   * and the request's routing key (else its text) falls in the canary's share.
   */
  route(input: I): SlotName {
    const canary = this.#slots.canary;
    if (canary === undefined || this.#canaryShare <= 0) return 'active';
    const key = input.routingKey ?? `text:${sha256(input.text)}`;
    return routingBucket(key, canary.variant.version) < this.#canaryShare ? 'canary' : 'active';
  }

  /** Answers a request; CS_ERR_MODEL_NOT_LOADED when no active model is loaded. */
  async predict(input: I): Promise<O> {
    const active = this.#slots.active;
    if (active === undefined) throw new AppError('CS_ERR_MODEL_NOT_LOADED', 'No severity model is loaded');
    const canary = this.#slots.canary;
    const shadow = this.#slots.shadow;
    if (canary !== undefined && this.route(input) === 'canary') {
      const served = await canary.run(input);
      this.#background('canary', async () => {
        const reference = await active.run(input);
        this.#o.onActiveAnswer?.(input, reference.output);
        this.#observe('canary', 'candidate', input, served, reference, canary, active);
      });
      return served.output;
    }
    const served = await active.run(input);
    this.#o.onActiveAnswer?.(input, served.output);
    if (shadow !== undefined) {
      this.#background('shadow', async () => {
        const candidate = await shadow.run(input);
        this.#observe('shadow', 'active', input, candidate, served, shadow, active);
      });
    }
    return served.output;
  }

  #background(slot: SlotName, work: () => Promise<void>): void {
    const defer = this.#o.defer ?? ((fn: () => void) => setImmediate(fn));
    defer(() => {
      work().catch((err) => this.#o.onBackgroundError?.(err, slot));
    });
  }

  #observe(
    role: 'canary' | 'shadow',
    served: 'candidate' | 'active',
    input: I,
    candidate: { output: O; ms: number },
    active: { output: O; ms: number },
    candidateSlot: Slot<I, O>,
    activeSlot: Slot<I, O>,
  ): void {
    this.#o.onObservation?.({
      createdAt: this.#o.now(),
      family: candidateSlot.variant.family,
      role,
      candidateVersion: candidateSlot.variant.version,
      activeVersion: activeSlot.variant.version,
      served,
      textSha256: sha256(input.text),
      candidateSeverity: candidate.output.severity,
      activeSeverity: active.output.severity,
      candidateLatencyMs: candidate.ms,
      activeLatencyMs: active.ms,
    });
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function checkShare(share: number): number {
  if (!(share >= 0 && share <= 1))
    throw new AppError('CS_ERR_VALIDATION', `Canary share must be in [0, 1], got ${share}`);
  return share;
}
