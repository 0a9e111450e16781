interface Pending<T> {
  items: readonly T[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: writes requested in the same turn of the event loop are
 * committed together in one transaction, so a busy server pays one durable
 * sync per group instead of one per request, and every caller still waits
 * until its own rows are durable.
 */
export class GroupCommit<T> {
  readonly #write: (items: T[]) => Promise<void> | void;
  readonly #maxItems: number;
  #queue: Pending<T>[] = [];
  #scheduled = false;
  #draining: Promise<void> | undefined;

  /**
   * @param write commits all items atomically (one transaction) or throws.
   * @param maxItems largest group, in items. Default 500.
   */
  constructor(write: (items: T[]) => Promise<void> | void, maxItems = 500) {
    this.#write = write;
    this.#maxItems = maxItems;
  }

  /** Queues `items` for the next group; resolves once they are committed, rejects if their write failed. */
  add(items: readonly T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ items, resolve, reject });
      this.#kick();
    });
  }

  #kick(): void {
    // A running drain picks up new entries itself; otherwise start one on the next turn.
    if (this.#scheduled || this.#draining !== undefined) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: lets every request already read off the sockets join this group.
    setImmediate(() => {
      this.#scheduled = false;
      this.#draining = this.#drain().finally(() => {
        this.#draining = undefined;
        if (this.#queue.length > 0) this.#kick();
      });
    });
  }

  /** Resolves when nothing is queued or being written (call before closing the connection). */
  async idle(): Promise<void> {
    while (this.#draining !== undefined || this.#scheduled || this.#queue.length > 0) {
      if (this.#draining) await this.#draining;
      else await new Promise((r) => setImmediate(r));
    }
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const group: Pending<T>[] = [];
      let size = 0;
      while (
        this.#queue.length > 0 &&
        (group.length === 0 || size + this.#queue[0]!.items.length <= this.#maxItems)
      ) {
        const entry = this.#queue.shift()!;
        group.push(entry);
        size += entry.items.length;
      }
      try {
        await this.#write(group.flatMap((e) => e.items));
        for (const e of group) e.resolve();
      } catch (err) {
        if (group.length === 1) {
          group[0]!.reject(err);
          continue;
        }
        // One bad entry (a duplicate id) must not fail its neighbours: retry each on its own.
        for (const e of group) {
          try {
            await this.#write([...e.items]);
            e.resolve();
          } catch (one) {
            e.reject(one);
          }
        }
      }
    }
  }
}
