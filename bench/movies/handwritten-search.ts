// The search text as the movies example's spec describes it, for the hand-written servers: words
// only (no query syntax reaches the index), accents and case folded, the last word a prefix, an
// optional leading article, and exact titles first. The paging cursor and next-page link are the
// ones specstack hands out, so a client can follow either server's link.

import type { FastifyReply } from 'fastify';

const ARTICLES = new Set('the a an le la les l el los las il der die das un une'.split(' '));
const YEAR = /^(18[7-9]\d|19\d\d|20\d\d|2100)$/;
const MAX_WORDS = 12;
const MAX_WORD_LENGTH = 60;
// Letters NFKD leaves whole but PostgreSQL's unaccent folds.
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

const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[æœøßłđðþı]/g, (c) => FOLDS[c]!);

const wordsOf = (text: string) =>
  (text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).filter((word) =>
    /[\p{L}\p{N}]/u.test(word),
  );

/** What an exact title match compares: folded words, no parenthesised parts, no leading article. */
function titleKey(text: string): string {
  const words = wordsOf(fold(text.replace(/\([^)]*\)?/g, ' ')));
  if (words.length > 1 && ARTICLES.has(words[0]!)) words.shift();
  return words.join(' ');
}

export interface SearchText {
  /** Every word must match; the last one as a prefix. */
  words: string[];
  /** The title key of the text, for the exact-title boost. */
  key: string;
}

/** The words of a search, or undefined when it has none (punctuation only). */
export function parseSearch(text: string): SearchText | undefined {
  let words = wordsOf(text).filter((word) => word.length <= MAX_WORD_LENGTH);
  if (words.length > 1 && ARTICLES.has(fold(words[0]!))) words = words.slice(1);
  words = words.slice(0, MAX_WORDS);
  if (words.length === 0) return undefined;
  // A trailing year is not part of a title: `matrix 1999` is exactly The Matrix.
  const titled =
    words.length > 1 && YEAR.test(words[words.length - 1]!) ? words.slice(0, -1) : words;
  return { words, key: titleKey(titled.join(' ')) };
}

/** An FTS5 query: each word an FTS5 string (words hold no quotes), the last one a prefix. */
export const sqliteMatch = ({ words }: SearchText) =>
  words.map((word, i) => (i === words.length - 1 ? `"${word}" *` : `"${word}"`)).join(' AND ');

/** A tsquery: each word a quoted lexeme, the last one a prefix. */
export const postgresMatch = ({ words }: SearchText) =>
  words.map((word, i) => (i === words.length - 1 ? `'${word}':*` : `'${word}'`)).join(' & ');

// Ranking asks for the same titles again and again; dropped whole when full.
const TITLE_KEYS_KEPT = 50_000;
const titleKeys = new Map<string, string>();

/**
 * specstack_search_boost(title, key, keyPrefix, words) on SQLite (PostgreSQL computes it from a
 * stored column): 3 when the title's key is the query's, 2 when it starts with it, 1 when it has
 * as many words (a search with typo variants; never here, where `words` is -1), else 0.
 */
export function searchBoost(title: unknown, key: unknown, keyPrefix: unknown, words: unknown) {
  if (typeof title !== 'string' || typeof key !== 'string' || key === '') return 0;
  let found = titleKeys.get(title);
  if (found === undefined) {
    if (titleKeys.size >= TITLE_KEYS_KEPT) titleKeys.clear();
    found = titleKey(title);
    titleKeys.set(title, found);
  }
  if (found === key) return 3;
  if (found.startsWith(String(keyPrefix))) return 2;
  return found.split(' ').length === words ? 1 : 0;
}

/** The sort a search cursor is made for: its rank, then the key. */
const SEARCH_ORDER = 'search|id:asc';

/** The offset a cursor stands for: 0 without one, undefined for a cursor not made here. */
export function searchOffset(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return 0;
  try {
    const { s, v } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return s === SEARCH_ORDER && Number.isSafeInteger(v?.[0]) && v[0] >= 0 ? v[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The request's own URL with the next page's cursor and the limit: the x-next link. The other
 * parameters stay as the client sent them; the limit keeps its place, the cursor goes last.
 */
function nextLink(url: string, offset: number, limit: number): string {
  const at = url.indexOf('?');
  const pairs: string[] = [];
  let limited = false;
  for (const pair of at < 0 ? [] : url.slice(at + 1).split('&')) {
    if (pair === '' || /^(cursor|offset)(=|$)/.test(pair)) continue;
    if (/^limit(=|$)/.test(pair)) {
      if (!limited) pairs.push(`limit=${limit}`);
      limited = true;
    } else {
      pairs.push(pair);
    }
  }
  if (!limited) pairs.push(`limit=${limit}`);
  const cursor = Buffer.from(JSON.stringify({ s: SEARCH_ORDER, v: [offset] })).toString(
    'base64url',
  );
  pairs.push(`cursor=${cursor}`);
  return `${at < 0 ? url : url.slice(0, at)}?${pairs.join('&')}`;
}

/**
 * The page of a search that asked for `limit + 1` rows: the first `limit`, and when there were
 * more, the link to the next page in the x-next header.
 */
export function takePage<T>(rows: T[], page: SearchPage, reply: FastifyReply): T[] {
  if (rows.length > page.limit) {
    rows.length = page.limit;
    reply.header('x-next', nextLink(page.url, page.offset + page.limit, page.limit));
  }
  return rows;
}

export interface SearchPage {
  url: string;
  offset: number;
  limit: number;
}
