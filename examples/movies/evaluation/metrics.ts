// Top-k metrics over users with held-out ratings: precision@k, recall@k and hit rate, where a
// held-out movie is relevant when its rating is 4 or more.

export interface Metrics {
  precision: number;
  recall: number;
  hitRate: number;
  users: number;
}

export function topKMetrics(
  test: Map<number, { movie: number; rating: number }[]>,
  recommend: (user: number) => number[],
  k = 10,
): Metrics {
  let precision = 0;
  let recall = 0;
  let hits = 0;
  let users = 0;
  let recallUsers = 0;
  for (const [user, held] of test) {
    if (held.length === 0) continue;
    users += 1;
    const relevant = new Set(held.filter((h) => h.rating >= 4).map((h) => h.movie));
    const top = recommend(user).slice(0, k);
    const found = top.filter((movie) => relevant.has(movie)).length;
    precision += found / k;
    if (relevant.size > 0) {
      recallUsers += 1;
      recall += found / relevant.size;
    }
    if (found > 0) hits += 1;
  }
  return {
    precision: users ? precision / users : 0,
    recall: recallUsers ? recall / recallUsers : 0,
    hitRate: users ? hits / users : 0,
    users,
  };
}

/** Most-rated-unseen: the training set's most rated movies the user has not rated. */
export function popularityRecommender(
  train: { users: Float64Array; movies: Float64Array; length: number },
  k = 10,
): (user: number) => number[] {
  const counts = new Map<number, number>();
  const seen = new Map<number, Set<number>>();
  for (let i = 0; i < train.length; i += 1) {
    const movie = train.movies[i]!;
    counts.set(movie, (counts.get(movie) ?? 0) + 1);
    let mine = seen.get(train.users[i]!);
    if (!mine) {
      mine = new Set();
      seen.set(train.users[i]!, mine);
    }
    mine.add(movie);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([m]) => m);
  return (user) => {
    const mine = seen.get(user) ?? new Set<number>();
    const top: number[] = [];
    for (const movie of ranked) {
      if (top.length === k) break;
      if (!mine.has(movie)) top.push(movie);
    }
    return top;
  };
}
