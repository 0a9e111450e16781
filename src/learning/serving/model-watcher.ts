import type { StoredModelVersion } from '../../store/index.js';
import type { ModelRouter } from './model-router.js';
import type { LoadedVariant, RoutableInput, ScoredOutput, SlotName } from './variant.js';

/** Dependencies of a {@link ModelWatcher}. */
export interface ModelWatcherOptions<I extends RoutableInput, O extends ScoredOutput> {
  /** Reads which version holds a status (the registry). */
  registry: { holding(family: string, status: SlotName): Promise<StoredModelVersion | undefined> };
  /** The family this service serves. */
  family: string;
  router: ModelRouter<I, O>;
  /** Loads a registered version's files into a servable variant. */
  load: (record: StoredModelVersion) => Promise<LoadedVariant<I, O>>;
  /** Poll interval in ms (MODEL_POLL_MS). */
  pollMs: number;
  /** Told after a slot changed (e.g. to reset the drift window on a new active model). */
  onSwap?: (slot: SlotName, variant: LoadedVariant<I, O> | undefined) => void;
  /** Told about failed reads or loads; the slot keeps its current model and the next poll retries. */
  onError?: (err: unknown, context: { slot?: SlotName; version?: string }) => void;
}

const SLOTS: readonly SlotName[] = ['active', 'canary', 'shadow'];

/**
 * Hot swap: keeps the router's slots equal to the registry's active, canary
 * and shadow versions. Every replica runs one; it learns of a promotion or a
 * rollback by polling the store (and at once when `notify` is called, e.g. on
 * a Redis message). The new model is loaded completely before it replaces
 * the old one, so no request sees a half-loaded model or fails in flight.
 */
export class ModelWatcher<I extends RoutableInput, O extends ScoredOutput> {
  readonly #o: ModelWatcherOptions<I, O>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(options: ModelWatcherOptions<I, O>) {
    this.#o = options;
  }

  /** Brings the slots in line with the registry now; concurrent calls share one pass (plus one more if asked meanwhile). */
  sync(): Promise<void> {
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#pass();
        } while (this.#again);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /** Starts polling every `pollMs` (the first pass is the caller's `await sync()`). */
  start(): void {
    this.#timer ??= setInterval(() => void this.sync(), this.#o.pollMs).unref();
  }

  /** Asks for a pass now (a change was announced). */
  notify(): void {
    void this.sync();
  }

  /**
   * Serves `variant` in `slot` now (a change made through this replica, from
   * the model its request loaded), without waiting for a pass.
   */
  install(slot: SlotName, variant: LoadedVariant<I, O>): void {
    this.#o.router.set(slot, variant);
    this.#o.onSwap?.(slot, variant);
  }

  /** Stops polling and waits for a pass in progress. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }

  async #pass(): Promise<void> {
    const o = this.#o;
    for (const slot of SLOTS) {
      let want: StoredModelVersion | undefined;
      try {
        want = await o.registry.holding(o.family, slot);
      } catch (err) {
        o.onError?.(err, { slot });
        return;
      }
      const have = o.router.version(slot);
      if (want?.version === have?.version) continue;
      if (want === undefined) {
        // Never leave the service without an answering model: an empty active slot keeps its model.
        if (slot === 'active') continue;
        o.router.set(slot, undefined);
        o.onSwap?.(slot, undefined);
        continue;
      }
      try {
        const loaded = await o.load(want);
        o.router.set(slot, loaded);
        o.onSwap?.(slot, loaded);
      } catch (err) {
        o.onError?.(err, { slot, version: want.version });
      }
    }
  }
}
