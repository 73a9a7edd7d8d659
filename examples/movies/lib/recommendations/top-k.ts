// The k best (id, score) pairs of a stream, in a fixed-size min-heap over typed arrays: O(n log k)
// and no allocation per candidate. Ties keep the smaller id, so results are deterministic.

export class TopK {
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(readonly capacity: number) {
    this.ids = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  /** a ranks below b: lower score, or the same score and a larger id. */
  private below(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa < sb || (sa === sb && this.ids[a]! > this.ids[b]!);
  }

  push(id: number, score: number): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      this.ids[this.size] = id;
      this.scores[this.size] = score;
      this.siftUp(this.size);
      this.size += 1;
      return;
    }
    const rootScore = this.scores[0]!;
    if (score < rootScore || (score === rootScore && id > this.ids[0]!)) return;
    this.ids[0] = id;
    this.scores[0] = score;
    this.siftDown(0);
  }

  /** The kept pairs, best first. Empties the heap. */
  drain(): { ids: Int32Array; scores: Float64Array } {
    const n = this.size;
    const ids = new Int32Array(n);
    const scores = new Float64Array(n);
    for (let at = n - 1; at >= 0; at -= 1) {
      ids[at] = this.ids[0]!;
      scores[at] = this.scores[0]!;
      this.size -= 1;
      if (this.size > 0) {
        this.ids[0] = this.ids[this.size]!;
        this.scores[0] = this.scores[this.size]!;
        this.siftDown(0);
      }
    }
    return { ids, scores };
  }

  private swap(a: number, b: number): void {
    const id = this.ids[a]!;
    this.ids[a] = this.ids[b]!;
    this.ids[b] = id;
    const score = this.scores[a]!;
    this.scores[a] = this.scores[b]!;
    this.scores[b] = score;
  }

  private siftUp(at: number): void {
    let child = at;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.below(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(at: number): void {
    let parent = at;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= this.size) return;
      const right = left + 1;
      const lowest = right < this.size && this.below(right, left) ? right : left;
      if (!this.below(lowest, parent)) return;
      this.swap(lowest, parent);
      parent = lowest;
    }
  }
}
