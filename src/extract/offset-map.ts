/**
 * Maps offsets in the refanged text back to offsets in the original input.
 *
 * Refanging replaces short tokens (`[.]` -> `.`, `hxxp` -> `http`, zero-width
 * characters -> nothing). Only those edits are stored; the stretches between
 * them are copied one to one, so the map is O(number of edits) in memory and
 * a lookup is a binary search over the edits.
 */
export class OffsetMap {
  /**
   * Four int32 per edit: start in the refanged text, length of its output
   * there (0 for deletions), start and exclusive end in the original input.
   * One typed array instead of four JS arrays: defang-heavy inputs make
   * hundreds of thousands of edits, and this keeps them off the GC's back.
   */
  private data = new Int32Array(64);
  private count = 0;

  /** Records that original `[origStart, origEnd)` became `normLen` characters at `normStart`. */
  addEdit(normStart: number, normLen: number, origStart: number, origEnd: number): void {
    if ((this.count + 1) * 4 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const k = this.count * 4;
    this.data[k] = normStart;
    this.data[k + 1] = normLen;
    this.data[k + 2] = origStart;
    this.data[k + 3] = origEnd;
    this.count++;
  }

  /** Number of edits recorded (0: the refanged text equals the input). */
  get size(): number {
    return this.count;
  }

  /** Index of the last edit whose start is `<= i`, or -1. */
  private lastEditAtOrBefore(i: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid * 4]! <= i) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Original offset of the character at refanged index `i` (inside an edit: the edit's start). */
  toOriginalStart(i: number): number {
    const k = this.lastEditAtOrBefore(i) * 4;
    if (k < 0) return i;
    const editEnd = this.data[k]! + this.data[k + 1]!;
    if (i < editEnd) return this.data[k + 2]!;
    return this.data[k + 3]! + (i - editEnd);
  }

  /** Original offset (exclusive) for the refanged exclusive end `e` (inside an edit: the edit's end). */
  toOriginalEnd(e: number): number {
    if (e <= 0) return 0;
    const last = e - 1;
    const k = this.lastEditAtOrBefore(last) * 4;
    if (k < 0) return e;
    const editEnd = this.data[k]! + this.data[k + 1]!;
    if (last < editEnd) return this.data[k + 3]!;
    return this.data[k + 3]! + (last - editEnd) + 1;
  }
}
