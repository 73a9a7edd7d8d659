// Item-item cosine similarity on raw ratings, keeping each movie's k nearest neighbours. Raw, not
// mean-centred: on real MovieLens data adjusted cosine falls below popularity (0.09 vs 0.11
// precision@10) while raw cosine with 50 neighbours reaches 0.20. For each movie a dense scratch
// accumulator sums r_ui * r_uj over its raters' other movies: cost Σ over users of n_u².

import type { RatingMatrix } from './rating-matrix.ts';
import { TopK } from './top-k.ts';
import { timeSlicer, yieldToEventLoop } from './yield.ts';

/** CSR: item i's neighbours are items[offsets[i] .. offsets[i + 1]), best first, with scores. */
export interface ItemNeighbours {
  offsets: Int32Array;
  items: Int32Array;
  scores: Float32Array;
}

export interface NeighbourOptions {
  /** Neighbours kept per movie. */
  neighbours: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

function itemNorms(matrix: RatingMatrix): Float64Array {
  const items = matrix.movieIds.length;
  const norms = new Float64Array(items);
  for (let i = 0; i < items; i += 1) {
    let sum = 0;
    for (let k = matrix.itemOffsets[i]!; k < matrix.itemOffsets[i + 1]!; k += 1) {
      sum += matrix.itemRatings[k]! ** 2;
    }
    norms[i] = Math.sqrt(sum);
  }
  return norms;
}

export async function computeItemNeighbours(
  matrix: RatingMatrix,
  options: NeighbourOptions,
): Promise<ItemNeighbours> {
  const { itemOffsets, itemUsers, itemRatings, userOffsets, userItems, userRatings } = matrix;
  const items = matrix.movieIds.length;
  const norms = itemNorms(matrix);
  const dot = new Float64Array(items);
  const touched = new Int32Array(items);
  const top = new TopK(options.neighbours);
  const offsets = new Int32Array(items + 1);
  let outItems = new Int32Array(Math.min(items * options.neighbours, 1 << 20));
  let outScores = new Float32Array(outItems.length);
  const timeUp = timeSlicer();

  for (let i = 0; i < items; i += 1) {
    let count = 0;
    for (let a = itemOffsets[i]!; a < itemOffsets[i + 1]!; a += 1) {
      const user = itemUsers[a]!;
      const rating = itemRatings[a]!;
      for (let b = userOffsets[user]!; b < userOffsets[user + 1]!; b += 1) {
        const j = userItems[b]!;
        if (j === i) continue;
        // Ratings are positive, so a zero sum means j was not seen yet for this i.
        if (dot[j] === 0) touched[count++] = j;
        dot[j]! += rating * userRatings[b]!;
      }
    }
    const norm = norms[i]!;
    for (let t = 0; t < count; t += 1) {
      const j = touched[t]!;
      top.push(j, dot[j]! / (norm * norms[j]!));
      dot[j] = 0;
    }
    const best = top.drain();
    const start = offsets[i]!;
    if (start + best.ids.length > outItems.length) {
      const capacity = Math.max(outItems.length * 2, start + best.ids.length);
      const grownItems = new Int32Array(capacity);
      grownItems.set(outItems);
      const grownScores = new Float32Array(capacity);
      grownScores.set(outScores);
      outItems = grownItems;
      outScores = grownScores;
    }
    outItems.set(best.ids, start);
    outScores.set(best.scores, start);
    offsets[i + 1] = start + best.ids.length;
    if (timeUp()) {
      options.onProgress?.(i + 1, items);
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
    }
  }
  options.onProgress?.(items, items);
  const total = offsets[items]!;
  return { offsets, items: outItems.slice(0, total), scores: outScores.slice(0, total) };
}
