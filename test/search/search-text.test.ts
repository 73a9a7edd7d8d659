import { describe, expect, it } from 'vitest';
import {
  fold,
  parseSearch,
  searchKey,
  tokenize,
  typoVariants,
} from '../../src/search/search-text.ts';

describe('search text', () => {
  it('splits words on anything but letters, digits and marks, and drops symbol-only runs', () => {
    expect(tokenize('Léon: The Professional (a.k.a. "The Pro")')).toEqual([
      'léon',
      'the',
      'professional',
      'a',
      'k',
      'a',
      'the',
      'pro',
    ]);
    expect(tokenize('NEAR(x AND y*) -z ^w "\u0000')).toEqual(['near', 'x', 'and', 'y', 'z', 'w']);
    expect(tokenize('🎬 \u200B')).toEqual([]);
  });

  it('folds case and diacritics, including letters NFKD leaves alone', () => {
    expect(fold('Émile Åsa Straße Œuvre Ørsted')).toBe('emile asa strasse oeuvre orsted');
  });

  it('keys a title without article, punctuation and parenthesised alternatives', () => {
    expect(searchKey('The Matrix')).toBe('matrix');
    expect(searchKey('Léon: The Professional (a.k.a. The Professional) (Léon)')).toBe(
      'leon the professional',
    );
    expect(searchKey('La La Land')).toBe('la land');
    expect(searchKey('The')).toBe('the');
  });

  it('makes every term a plain word, the last one a prefix, without a leading article', () => {
    const query = parseSearch('The lord OF the "rings*');
    expect(query?.terms.map((t) => [t.word, t.prefix])).toEqual([
      ['lord', false],
      ['of', false],
      ['the', false],
      ['rings', true],
    ]);
    expect(query?.key).toBe('lord of the rings');
    expect(parseSearch('?!* "')).toBeUndefined();
    expect(parseSearch('x'.repeat(10_000))).toBeUndefined();
    expect(parseSearch('a '.repeat(100))?.terms).toHaveLength(12);
  });

  it('lists one-edit variants of words of five letters or more only', () => {
    expect(typoVariants('gun')).toEqual([]);
    const variants = typoVariants('matirx');
    expect(variants).toContain('matrix');
    expect(variants).toContain('matix');
    expect(variants).toContain('matirxs');
    expect(variants).not.toContain('matirx');
  });
});
