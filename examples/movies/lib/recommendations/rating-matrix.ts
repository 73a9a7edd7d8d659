// Ratings as two compressed sparse row (CSR) views over typed arrays, one by user and one by
// movie: the recommender never keeps a JS object per rating, so 1M ratings cost ~24 MB.

export interface RatingMatrix {
  /** Dense user index -> user id. */
  userIds: Float64Array;
  /** Dense item index -> movie id. */
  movieIds: Float64Array;
  /** User u's items are userItems[userOffsets[u] .. userOffsets[u + 1]), with userRatings alike. */
  userOffsets: Int32Array;
  userItems: Int32Array;
  userRatings: Float32Array;
  /** Item i's raters are itemUsers[itemOffsets[i] .. itemOffsets[i + 1]), with itemRatings alike. */
  itemOffsets: Int32Array;
  itemUsers: Int32Array;
  itemRatings: Float32Array;
}

/** Collects (user id, movie id, rating) triples in growing typed arrays, then builds the CSR views. */
export class RatingMatrixBuilder {
  private users = new Int32Array(1024);
  private items = new Int32Array(1024);
  private values = new Float32Array(1024);
  private size = 0;
  private readonly userIndex = new Map<number, number>();
  private readonly itemIndex = new Map<number, number>();

  get count(): number {
    return this.size;
  }

  add(userId: number, movieId: number, rating: number): void {
    if (this.size === this.users.length) this.grow();
    this.users[this.size] = indexOf(this.userIndex, userId);
    this.items[this.size] = indexOf(this.itemIndex, movieId);
    this.values[this.size] = rating;
    this.size += 1;
  }

  build(): RatingMatrix {
    const n = this.size;
    const users = this.users.subarray(0, n);
    const items = this.items.subarray(0, n);
    const values = this.values.subarray(0, n);
    const byUser = groupBy(users, items, values, this.userIndex.size);
    const byItem = groupBy(items, users, values, this.itemIndex.size);
    return {
      userIds: Float64Array.from(this.userIndex.keys()),
      movieIds: Float64Array.from(this.itemIndex.keys()),
      userOffsets: byUser.offsets,
      userItems: byUser.members,
      userRatings: byUser.values,
      itemOffsets: byItem.offsets,
      itemUsers: byItem.members,
      itemRatings: byItem.values,
    };
  }

  private grow(): void {
    const capacity = this.users.length * 2;
    const users = new Int32Array(capacity);
    users.set(this.users);
    const items = new Int32Array(capacity);
    items.set(this.items);
    const values = new Float32Array(capacity);
    values.set(this.values);
    this.users = users;
    this.items = items;
    this.values = values;
  }
}

/** Insertion order gives dense indexes: a Map keeps it, one entry per user or movie. */
function indexOf(index: Map<number, number>, id: number): number {
  let dense = index.get(id);
  if (dense === undefined) {
    dense = index.size;
    index.set(id, dense);
  }
  return dense;
}

/** Counting sort of the triples by `keys`: CSR offsets, the other side's indexes and the values. */
function groupBy(keys: Int32Array, others: Int32Array, values: Float32Array, groups: number) {
  const offsets = new Int32Array(groups + 1);
  for (let k = 0; k < keys.length; k += 1) offsets[keys[k]! + 1]! += 1;
  for (let g = 0; g < groups; g += 1) offsets[g + 1]! += offsets[g]!;
  const cursor = offsets.slice(0, groups);
  const members = new Int32Array(keys.length);
  const grouped = new Float32Array(keys.length);
  for (let k = 0; k < keys.length; k += 1) {
    const at = cursor[keys[k]!]!++;
    members[at] = others[k]!;
    grouped[at] = values[k]!;
  }
  return { offsets, members, values: grouped };
}
