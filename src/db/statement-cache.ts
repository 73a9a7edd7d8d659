// A bounded map of prepared statements keyed by query shape. Once full it stops caching instead of
// evicting: evicted PostgreSQL statements would stay prepared on every pooled connection.

export class StatementCache<T> {
  readonly #entries = new Map<string, T>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached statement for `key`, or a new one from `create(cacheable)`; `cacheable` is false once full. */
  get(key: string, create: (cacheable: boolean) => T): T {
    const found = this.#entries.get(key);
    if (found !== undefined) return found;
    const cacheable = this.#entries.size < this.#capacity;
    const created = create(cacheable);
    if (cacheable) this.#entries.set(key, created);
    return created;
  }
}
