// The query text of a search, turned into data: tokens the caller never gets to write syntax with,
// the key that recognises an exact title match, and one-letter typo variants. Shared by both
// dialects, so the same text searches the same way on each.

/** Leading articles a query may start with, and a title key drops (English and the common European ones). */
const ARTICLES = new Set([
  'the',
  'a',
  'an',
  'le',
  'la',
  'les',
  'l',
  'el',
  'los',
  'las',
  'il',
  'der',
  'die',
  'das',
  'un',
  'une',
]);

const YEAR = /^(18[7-9]\d|19\d\d|20\d\d|2100)$/;

/** More tokens than this are ignored: nobody types them, and each one costs index lookups. */
export const MAX_TOKENS = 12;
/** A longer token is no word of any language; it cannot match and is dropped. */
export const MAX_TOKEN_LENGTH = 60;
/** Typo tolerance starts at words this long: shorter ones have too many neighbours. */
export const TYPO_MIN_LENGTH = 5;

// Letters that NFKD does not decompose but unaccent (PostgreSQL) folds.
const FOLDS: Record<string, string> = {
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lower case without diacritics: `Léon` -> `leon`. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[æœøßłđðþı]/g, (c) => FOLDS[c]!);
}

/** The words of a text: runs of letters, digits and marks. Everything else separates them. */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  return words.filter((word) => /[\p{L}\p{N}]/u.test(word));
}

/**
 * What an exact match compares: folded words, without parenthesised parts (alternative titles,
 * years) and without a leading article. `The Matrix (1999)` and `matrix` share `matrix`.
 */
export function searchKey(text: string): string {
  const words = tokenize(fold(text.replace(/\([^)]*\)?/g, ' ')));
  if (words.length > 1 && ARTICLES.has(words[0]!)) words.shift();
  return words.join(' ');
}

export interface SearchTerm {
  /** The word as typed (lower case): the database folds it the way it folds the index. */
  word: string;
  /** The last word matches as a prefix: `top gu` finds `Top Gun`. */
  prefix: boolean;
  /** Long enough for typo tolerance: its one-edit variants are searched when nothing matches exactly. */
  tolerant: boolean;
}

export interface SearchQuery {
  /** Every term must match. */
  terms: SearchTerm[];
  /** searchKey of the query text, for the exact-title boost. */
  key: string;
}

/** The query, or undefined when it has no word to search for (punctuation, emoji, blank). */
export function parseSearch(text: string): SearchQuery | undefined {
  let words = tokenize(text).filter((word) => word.length <= MAX_TOKEN_LENGTH);
  if (words.length > 1 && ARTICLES.has(fold(words[0]!))) words = words.slice(1);
  words = words.slice(0, MAX_TOKENS);
  if (words.length === 0) return undefined;
  const terms = words.map((word, i) => ({
    word,
    prefix: i === words.length - 1,
    tolerant: [...fold(word)].length >= TYPO_MIN_LENGTH,
  }));
  // A trailing year is not part of a title (`matrix 1999` is exactly The Matrix).
  const titleWords =
    words.length > 1 && YEAR.test(words[words.length - 1]!) ? words.slice(0, -1) : words;
  return { terms, key: searchKey(titleWords.join(' ')) };
}

export function hasTypoVariants(query: SearchQuery): boolean {
  return query.terms.some((term) => term.tolerant);
}

/** One-edit variants of a term's word, as the index folds them. */
export function termVariants(term: SearchTerm): string[] {
  return term.tolerant ? typoVariants(fold(term.word)) : [];
}

/**
 * Every word one edit (a deletion, insertion, substitution or swap of neighbours) from `word`,
 * when it is long enough. Insertions and substitutions use a-z and the word's own letters.
 */
export function typoVariants(word: string): string[] {
  const letters = [...word];
  if (letters.length < TYPO_MIN_LENGTH) return [];
  const alphabet = new Set([...'abcdefghijklmnopqrstuvwxyz', ...letters]);
  const out = new Set<string>();
  const join = (parts: string[]) => parts.join('');
  for (let i = 0; i <= letters.length; i += 1) {
    const head = letters.slice(0, i);
    const tail = letters.slice(i);
    if (i < letters.length) {
      out.add(join([...head, ...tail.slice(1)]));
      if (i + 1 < letters.length) {
        out.add(join([...head, letters[i + 1]!, letters[i]!, ...letters.slice(i + 2)]));
      }
      for (const c of alphabet) out.add(join([...head, c, ...tail.slice(1)]));
    }
    for (const c of alphabet) out.add(join([...head, c, ...tail]));
  }
  out.delete(word);
  return [...out];
}
