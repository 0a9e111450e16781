/**
 * Point-in-ranges lookup for IP networks from many lists.
 *
 * Ranges from different lists overlap (a /8 of one list holds /24s of
 * others), so the table is built by a sweep over the range bounds into
 * disjoint segments, each carrying the set of lists that cover it. A lookup
 * is one binary search: O(log segments), whatever the overlap.
 */
export class RangeTable<K extends number | bigint> {
  /** Inclusive segment starts, ascending. */
  private readonly starts: K[];
  /** Exclusive segment ends. */
  private readonly ends: K[];
  /** Index into `idSets` for each segment. */
  private readonly setOf: number[];
  private readonly idSets: readonly (readonly number[])[];

  private constructor(starts: K[], ends: K[], setOf: number[], idSets: (readonly number[])[]) {
    this.starts = starts;
    this.ends = ends;
    this.setOf = setOf;
    this.idSets = idSets;
  }

  /** Number of disjoint segments (for diagnostics and tests). */
  get segments(): number {
    return this.starts.length;
  }

  /**
   * Builds the table from ranges `[lo, hiExclusive)` each tagged with a list
   * id. Empty ranges are ignored. O(n log n) in the number of ranges.
   */
  static build<K extends number | bigint>(
    ranges: readonly { lo: K; hiExclusive: K; id: number }[],
  ): RangeTable<K> {
    const events: { at: K; id: number; delta: 1 | -1 }[] = [];
    for (const r of ranges) {
      if (r.hiExclusive <= r.lo) continue;
      events.push({ at: r.lo, id: r.id, delta: 1 }, { at: r.hiExclusive, id: r.id, delta: -1 });
    }
    events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const starts: K[] = [];
    const ends: K[] = [];
    const setOf: number[] = [];
    const idSets: (readonly number[])[] = [];
    const setIndex = new Map<string, number>();
    const active = new Map<number, number>(); // list id -> number of open ranges
    let i = 0;
    while (i < events.length) {
      const at = events[i]!.at;
      while (i < events.length && events[i]!.at === at) {
        const e = events[i]!;
        const n = (active.get(e.id) ?? 0) + e.delta;
        if (n === 0) active.delete(e.id);
        else active.set(e.id, n);
        i++;
      }
      if (active.size === 0 || i >= events.length) continue;
      const ids = [...active.keys()].sort((a, b) => a - b);
      const key = ids.join(',');
      let set = setIndex.get(key);
      if (set === undefined) {
        set = idSets.length;
        idSets.push(ids);
        setIndex.set(key, set);
      }
      const next = events[i]!.at;
      const last = starts.length - 1;
      if (last >= 0 && ends[last] === at && setOf[last] === set) {
        ends[last] = next; // same lists on both sides: one segment
      } else {
        starts.push(at);
        ends.push(next);
        setOf.push(set);
      }
    }
    return new RangeTable(starts, ends, setOf, idSets);
  }

  /** Ids of the lists whose ranges contain `point` (ascending; empty when none). */
  lookup(point: K): readonly number[] {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= point) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0 || point >= this.ends[found]!) return [];
    return this.idSets[this.setOf[found]!]!;
  }
}
