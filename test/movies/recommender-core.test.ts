// The recommender's pure parts on hand-sized data: the CSR views, cosine neighbours, the
// un-normalised neighbour score and its reason, the top-k heap, the cold-start ranking, and the
// per-user refresh's local neighbour index.

import { describe, expect, it } from 'vitest';
import {
  coldStartList,
  fillList,
  likedGenres,
  rankPopular,
} from '../../examples/movies/lib/recommendations/cold-start.ts';
import { computeItemNeighbours } from '../../examples/movies/lib/recommendations/item-neighbours.ts';
import { RatingMatrixBuilder } from '../../examples/movies/lib/recommendations/rating-matrix.ts';
import { localNeighbours } from '../../examples/movies/lib/recommendations/refresh-user.ts';
import { UserScorer } from '../../examples/movies/lib/recommendations/score-user.ts';
import { TopK } from '../../examples/movies/lib/recommendations/top-k.ts';

/** Users 1-3 over movies 10, 20, 30. */
function smallMatrix() {
  const builder = new RatingMatrixBuilder();
  builder.add(1, 10, 5);
  builder.add(1, 20, 4);
  builder.add(2, 10, 3);
  builder.add(2, 30, 2);
  builder.add(3, 20, 1);
  builder.add(3, 30, 4);
  return builder.build();
}

describe('recommender core', () => {
  it('builds both CSR views with dense indexes in first-seen order', () => {
    const m = smallMatrix();
    expect([...m.userIds]).toEqual([1, 2, 3]);
    expect([...m.movieIds]).toEqual([10, 20, 30]);
    expect([...m.userOffsets]).toEqual([0, 2, 4, 6]);
    expect([...m.userItems]).toEqual([0, 1, 0, 2, 1, 2]);
    expect([...m.itemOffsets]).toEqual([0, 2, 4, 6]);
    expect([...m.itemUsers]).toEqual([0, 1, 0, 2, 1, 2]);
    expect([...m.itemRatings]).toEqual([5, 3, 4, 1, 2, 4]);
  });

  it('scores neighbours by cosine of raw ratings, symmetric, best first, never the movie itself', async () => {
    const m = smallMatrix();
    const n = await computeItemNeighbours(m, { neighbours: 5 });
    const cos = (dot: number, a: number[], b: number[]) =>
      dot / (Math.hypot(...a) * Math.hypot(...b));
    const s10_20 = cos(5 * 4, [5, 3], [4, 1]);
    const s10_30 = cos(3 * 2, [5, 3], [2, 4]);
    const s20_30 = cos(1 * 4, [4, 1], [2, 4]);
    const of = (i: number) =>
      Array.from(n.items.subarray(n.offsets[i], n.offsets[i + 1]), (item, at) => [
        item,
        n.scores[n.offsets[i]! + at],
      ]);
    expect(of(0)).toEqual([
      [1, Math.fround(s10_20)],
      [2, Math.fround(s10_30)],
    ]);
    expect(of(1)).toEqual([
      [0, Math.fround(s10_20)],
      [2, Math.fround(s20_30)],
    ]);
    // s10_30 ≈ 0.230 > s20_30 ≈ 0.217
    expect(of(2)).toEqual([
      [0, Math.fround(s10_30)],
      [1, Math.fround(s20_30)],
    ]);
  });

  it('keeps only k neighbours', async () => {
    const n = await computeItemNeighbours(smallMatrix(), { neighbours: 1 });
    expect([...n.offsets]).toEqual([0, 1, 2, 3]);
  });

  it('sums sim · rating over the rated movies without dividing by the similarities, and names the biggest contributor', () => {
    // Item 0 and 1 rated; both point at 2, only 0 points at 3.
    const neighbours = {
      offsets: Int32Array.from([0, 2, 3, 3, 3]),
      items: Int32Array.from([2, 3, 2]),
      scores: Float32Array.from([0.5, 0.9, 0.25]),
    };
    const scorer = new UserScorer(4, neighbours, 10);
    const result = scorer.score(Int32Array.from([0, 1]), Float32Array.from([2, 5]), 0, 2);
    // Movie 2: 0.5 · 2 + 0.25 · 5 = 2.25; movie 3: 0.9 · 2 = 1.8.
    expect([...result.items]).toEqual([2, 3]);
    expect(result.scores[0]).toBeCloseTo(2.25);
    expect(result.scores[1]).toBeCloseTo(1.8);
    expect([...result.reasonItems]).toEqual([1, 0]);
    expect([...result.reasonRatings]).toEqual([5, 2]);
    // The scratch arrays are clean for the next user.
    const again = scorer.score(Int32Array.from([1]), Float32Array.from([4]), 0, 1);
    expect([...again.items]).toEqual([2]);
    expect(again.scores[0]).toBeCloseTo(0.25 * 4);
  });

  it('gives as the reason a movie the user liked over a bigger contributor they did not', () => {
    // Both rated movies point at 2: movie 0 (rated 2) contributes 0.9 · 2 = 1.8, movie 1 (rated 4)
    // contributes 0.3 · 4 = 1.2.
    const neighbours = {
      offsets: Int32Array.from([0, 1, 2, 2]),
      items: Int32Array.from([2, 2]),
      scores: Float32Array.from([0.9, 0.3]),
    };
    const scorer = new UserScorer(3, neighbours, 10);
    const liked = scorer.score(Int32Array.from([0, 1]), Float32Array.from([2, 4]), 0, 2);
    expect(liked.scores[0]).toBeCloseTo(3);
    expect([...liked.reasonItems]).toEqual([1]);
    expect([...liked.reasonRatings]).toEqual([4]);
    // With nothing liked, the biggest contributor is the reason.
    const none = scorer.score(Int32Array.from([0, 1]), Float32Array.from([2, 3]), 0, 2);
    expect([...none.reasonItems]).toEqual([0]);
  });

  it('keeps the k best of a stream, ties to the smaller id', () => {
    const top = new TopK(3);
    for (const [id, score] of [
      [5, 1],
      [1, 3],
      [7, 2],
      [2, 3],
      [9, 0.5],
      [3, 2],
    ] as const) {
      top.push(id, score);
    }
    const { ids, scores } = top.drain();
    expect([...ids]).toEqual([1, 2, 3]);
    expect([...scores]).toEqual([3, 3, 2]);
  });

  it('ranks by damped mean: many good ratings beat one perfect one', () => {
    const popular = rankPopular(
      { movieIds: [1, 2, 3], counts: [1, 200, 50], sums: [5, 200 * 4.4, 50 * 3] },
      () => [],
      { priorWeight: 10, limit: 3 },
    );
    expect(popular.map((p) => p.movieId)).toEqual([2, 1, 3]);
  });

  it('boosts the genres a user rated 4 or more, leaves rated movies out, and fills short lists below their last score', () => {
    const candidates = [
      { movieId: 1, score: 4.2, ratingCount: 100, genres: ['Drama'] },
      { movieId: 2, score: 3.9, ratingCount: 80, genres: ['Horror'] },
      { movieId: 3, score: 3.5, ratingCount: 60, genres: ['Horror', 'Comedy'] },
    ];
    const liked = likedGenres([
      { rating: 5, genres: ['Horror'] },
      { rating: 2, genres: ['Drama'] },
    ]);
    expect([...liked]).toEqual(['Horror']);
    const list = coldStartList(candidates, liked, new Set([3]), { listSize: 5, genreBoost: 1 });
    expect(list.map((e) => e.movieId)).toEqual([2, 1]);
    expect(list[0]!.reason).toBe('well rated by viewers, and you like Horror');
    const short = [{ movieId: 9, score: 0.5, reasonMovieId: 4, reasonRating: 5, reason: null }];
    const filled = fillList(short, candidates, new Set([1]), 3);
    expect(filled.map((e) => e.movieId)).toEqual([9, 2, 3]);
    expect(filled[1]!.score).toBeLessThan(0.5);
    expect(filled[2]!.score).toBeLessThan(filled[1]!.score);
  });
});

describe('localNeighbours', () => {
  it('skips a movie rated after the ratings were read, even one already seen as a neighbour', () => {
    const rated = [{ movieId: 10, rating: 5, genres: [] }];
    // Movie 30 was rated in between: its row came back although `rated` does not hold it, and it
    // is already in the index as a neighbour of 10.
    const rows = [
      { movie_id: 10, similar_ids: [30, 20], scores: [0.9, 0.5] },
      { movie_id: '30', similar_ids: '[40]', scores: '[0.7]' },
    ];
    const { movieIds, neighbours } = localNeighbours(rated, rows);
    expect(movieIds).toEqual([10, 30, 20]);
    expect([...neighbours.items]).toEqual([1, 2]);
    expect([...neighbours.offsets]).toEqual([0, 2, 2, 2]);
  });
});
