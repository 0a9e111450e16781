/**
 * Maps offsets in the refanged text back to offsets in the original input.
 *
 * Refanging replaces short tokens (`[.]` -> `.`, `hxxp` -> `http`, zero-width
 * characters -> nothing). Only those edits are stored; the stretches between
 * them are copied one to one, so the map is O(number of edits) in memory and
 * a lookup is a binary search over the edits.
 */
export class OffsetMap {
  /** Start of each edit in the refanged text, ascending. */
  private readonly normStart: number[] = [];
  /** Length of each edit's output in the refanged text (0 for deletions). */
  private readonly normLen: number[] = [];
  /** Start of each edit in the original input. */
  private readonly origStart: number[] = [];
  /** End (exclusive) of each edit in the original input. */
  private readonly origEnd: number[] = [];

  /** Records that original `[origStart, origEnd)` became `normLen` characters at `normStart`. */
  addEdit(normStart: number, normLen: number, origStart: number, origEnd: number): void {
    this.normStart.push(normStart);
    this.normLen.push(normLen);
    this.origStart.push(origStart);
    this.origEnd.push(origEnd);
  }

  /** Number of edits recorded (0: the refanged text equals the input). */
  get size(): number {
    return this.normStart.length;
  }

  /** Index of the last edit whose start is `<= i`, or -1. */
  private lastEditAtOrBefore(i: number): number {
    let lo = 0;
    let hi = this.normStart.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.normStart[mid]! <= i) {
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
    const k = this.lastEditAtOrBefore(i);
    if (k < 0) return i;
    const editEnd = this.normStart[k]! + this.normLen[k]!;
    if (i < editEnd) return this.origStart[k]!;
    return this.origEnd[k]! + (i - editEnd);
  }

  /** Original offset (exclusive) for the refanged exclusive end `e` (inside an edit: the edit's end). */
  toOriginalEnd(e: number): number {
    if (e <= 0) return 0;
    const last = e - 1;
    const k = this.lastEditAtOrBefore(last);
    if (k < 0) return e;
    const editEnd = this.normStart[k]! + this.normLen[k]!;
    if (last < editEnd) return this.origEnd[k]!;
    return this.origEnd[k]! + (last - editEnd) + 1;
  }
}
