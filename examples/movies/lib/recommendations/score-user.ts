// A user's neighbour-based list: each unseen candidate j scores Σ sim(i, j) · r_ui over the rated
// movies i that have j among their neighbours. Not divided by Σ sim: the plain sum keeps the
// signal of how many of the user's movies point at j, which normalising throws away (and with it
// most of the precision). The reason is the movie the user liked (rated 4 or more) contributing the
// most, else the rated movie contributing the most: "because you rated Alien 5 stars" explains a
// list; "because you rated Cats 1 star" would only puzzle, even when that neighbour counted most.

import type { ItemNeighbours } from './item-neighbours.ts';
import { TopK } from './top-k.ts';

export interface ScoredItems {
  /** Item indexes, best first. */
  items: Int32Array;
  scores: Float64Array;
  /** The rated item contributing most to each, and the user's rating of it. */
  reasonItems: Int32Array;
  reasonRatings: Float32Array;
}

/** Ratings from here up are what a user liked, and preferred as the reason. */
export const LIKED_RATING = 4;

/** Scores users one after another over one item index space, reusing dense scratch arrays. */
export class UserScorer {
  private readonly sum: Float64Array;
  private readonly best: Float64Array;
  private readonly reason: Int32Array;
  private readonly reasonRating: Float32Array;
  private readonly rated: Int32Array;
  private readonly touched: Int32Array;
  private readonly top: TopK;
  private stamp = 0;

  constructor(
    itemCount: number,
    private readonly neighbours: ItemNeighbours,
    listSize: number,
  ) {
    this.sum = new Float64Array(itemCount);
    this.best = new Float64Array(itemCount);
    this.reason = new Int32Array(itemCount);
    this.reasonRating = new Float32Array(itemCount);
    this.rated = new Int32Array(itemCount);
    this.touched = new Int32Array(itemCount);
    this.top = new TopK(listSize);
  }

  /** `items[start..end)` are the user's rated items, `ratings` alongside. */
  score(items: Int32Array, ratings: Float32Array, start: number, end: number): ScoredItems {
    const { offsets, items: near, scores: similarity } = this.neighbours;
    const { sum, best, reason, reasonRating, rated, touched } = this;
    this.stamp += 1;
    const stamp = this.stamp;
    for (let k = start; k < end; k += 1) rated[items[k]!] = stamp;
    let count = 0;
    for (let k = start; k < end; k += 1) {
      const i = items[k]!;
      const rating = ratings[k]!;
      for (let n = offsets[i]!; n < offsets[i + 1]!; n += 1) {
        const j = near[n]!;
        if (rated[j] === stamp) continue;
        const contribution = similarity[n]! * rating;
        if (sum[j] === 0) touched[count++] = j;
        sum[j]! += contribution;
        // A liked movie's contribution outranks any other as the reason (contributions are < 10).
        const weight = rating >= LIKED_RATING ? contribution + 10 : contribution;
        if (weight > best[j]!) {
          best[j] = weight;
          reason[j] = i;
          reasonRating[j] = rating;
        }
      }
    }
    for (let t = 0; t < count; t += 1) this.top.push(touched[t]!, sum[touched[t]!]!);
    const kept = this.top.drain();
    const reasonItems = new Int32Array(kept.ids.length);
    const reasonRatings = new Float32Array(kept.ids.length);
    kept.ids.forEach((j, at) => {
      reasonItems[at] = reason[j]!;
      reasonRatings[at] = reasonRating[j]!;
    });
    for (let t = 0; t < count; t += 1) {
      const j = touched[t]!;
      sum[j] = 0;
      best[j] = 0;
    }
    return { items: kept.ids, scores: kept.scores, reasonItems, reasonRatings };
  }
}
