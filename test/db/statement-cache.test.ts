import { describe, expect, it } from 'vitest';
import { StatementCache } from '../../src/db/statement-cache.ts';

describe('StatementCache', () => {
  it('creates a statement once per shape and reuses it', () => {
    const cache = new StatementCache<object>(4);
    let created = 0;
    const make = () => {
      created += 1;
      return {};
    };
    const first = cache.get('a', make);
    expect(cache.get('a', make)).toBe(first);
    expect(created).toBe(1);
  });

  it('stops caching new shapes once full, without evicting the ones it holds', () => {
    const cache = new StatementCache<string>(2);
    const flags: boolean[] = [];
    const make = (cacheable: boolean) => {
      flags.push(cacheable);
      return String(flags.length);
    };
    cache.get('a', make);
    cache.get('b', make);
    cache.get('c', make);
    cache.get('c', make);
    expect(flags).toEqual([true, true, false, false]);
    expect(cache.size).toBe(2);
    expect(cache.get('a', make)).toBe('1');
  });
});
