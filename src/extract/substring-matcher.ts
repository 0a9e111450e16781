/**
 * Finds which of many fixed strings occur in a text, in one pass over the
 * text (Aho-Corasick). Used for MISP `substring` warninglists (8k+ disposable
 * mail domains): testing each entry against each indicator would cost
 * entries x indicators; this costs the indicator's length plus the hits.
 */
export class SubstringMatcher {
  /** Child links per trie node, keyed by UTF-16 code unit. */
  private readonly next: Map<number, number>[] = [new Map()];
  /** Failure link per node: the longest proper suffix that is also a trie path. */
  private fail: Int32Array = new Int32Array(0);
  /** Nearest node on the failure chain that ends a pattern (-1: none). */
  private dict: Int32Array = new Int32Array(0);
  /** Payload of the pattern ending at each node (-1: none). */
  private readonly payload: number[] = [-1];

  /** Builds the matcher; each pattern carries a payload (e.g. an id-set index). Empty patterns are ignored. */
  constructor(patterns: Iterable<readonly [string, number]>) {
    for (const [pattern, value] of patterns) {
      if (pattern === '') continue;
      let node = 0;
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charCodeAt(i);
        let child = this.next[node]!.get(c);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.payload.push(-1);
          this.next[node]!.set(c, child);
        }
        node = child;
      }
      this.payload[node] = value;
    }
    this.link();
  }

  /** Breadth-first computation of failure and dictionary links. */
  private link(): void {
    const n = this.next.length;
    this.fail = new Int32Array(n);
    this.dict = new Int32Array(n).fill(-1);
    const queue: number[] = [];
    for (const child of this.next[0]!.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head]!;
      for (const [c, v] of this.next[u]!) {
        let f = this.fail[u]!;
        while (f > 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = this.next[f]!.get(c);
        this.fail[v] = target !== undefined && target !== v ? target : 0;
        const fv = this.fail[v]!;
        this.dict[v] = this.payload[fv]! >= 0 ? fv : this.dict[fv]!;
        queue.push(v);
      }
    }
  }

  /** Number of trie nodes (for diagnostics). */
  get size(): number {
    return this.next.length;
  }

  /** Calls `onMatch` with the payload of every pattern occurring in `text` (once per occurrence). */
  forEachMatch(text: string, onMatch: (payload: number) => void): void {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next = this.next[state]!.get(c);
      while (next === undefined && state > 0) {
        state = this.fail[state]!;
        next = this.next[state]!.get(c);
      }
      state = next ?? 0;
      for (let t = this.payload[state]! >= 0 ? state : this.dict[state]!; t > 0; t = this.dict[t]!) {
        onMatch(this.payload[t]!);
      }
    }
  }
}
