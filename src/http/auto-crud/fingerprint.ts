// A 64-bit fingerprint of a string or a row, for entity tags. SHA-1 through node:crypto cost more
// than the rest of a read by key; a tag needs no secrecy, only to change when the content does: a
// client can only ever send back tags this server gave it for the same resource.

/** Murmur3's finalizer: every input bit reaches every output bit. */
function avalanche(hash: number): number {
  let h = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b | 0);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35 | 0);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Two 32-bit multiplicative lanes (FNV-1a's prime and Murmur2's) over UTF-16 code units, each
 * finalized: two different inputs share a fingerprint with odds of 2^-64. The lanes live here,
 * not in an object: hashing is synchronous, one input at a time.
 */
let laneA = 0;
let laneB = 0;

function start(seed: number): void {
  laneA = 0x811c9dc5 | 0;
  laneB = (seed ^ 0x9747b28c) | 0;
}

function unit(code: number): void {
  laneA = Math.imul(laneA ^ code, 0x01000193);
  laneB = Math.imul(laneB ^ code, 0x5bd1e995 | 0);
}

function text(value: string): void {
  for (let i = 0; i < value.length; i += 1) unit(value.charCodeAt(i));
}

/** base64url's alphabet, as character codes. */
const DIGITS = Array.from(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  (digit) => digit.charCodeAt(0),
);

/**
 * Both lanes as eleven base64url digits, six bits each, made in one string allocation. As one
 * 53-bit decimal number the text cost more than the hash: a number past 2^31 is a double, which
 * V8 writes out with its general (dtoa) algorithm.
 */
function finish(): string {
  const a = avalanche(laneA);
  const b = avalanche(laneB);
  return String.fromCharCode(
    DIGITS[b & 63]!,
    DIGITS[(b >>> 6) & 63]!,
    DIGITS[(b >>> 12) & 63]!,
    DIGITS[(b >>> 18) & 63]!,
    DIGITS[(b >>> 24) & 63]!,
    DIGITS[(b >>> 30) | ((a & 15) << 2)]!,
    DIGITS[(a >>> 4) & 63]!,
    DIGITS[(a >>> 10) & 63]!,
    DIGITS[(a >>> 16) & 63]!,
    DIGITS[(a >>> 22) & 63]!,
    DIGITS[a >>> 28]!,
  );
}

export function fingerprint(value: string): string {
  start(value.length);
  text(value);
  return finish();
}

/**
 * Marks what kind of value follows, so `1` and `"1"`, or `null` and `"null"`, differ. A switch on
 * `typeof`, which the compiler folds, where a lookup by kind would be a keyed load per field.
 */
function kindMark(kind: string): number {
  switch (kind) {
    case 'string':
      return 0x10001;
    case 'number':
      return 0x10002;
    case 'boolean':
      return 0x10003;
    case 'bigint':
      return 0x10004;
    case 'object':
      return 0x10005;
    case 'undefined':
      return 0x10006;
    default:
      return 0x10007;
  }
}

/** A number that is a 32-bit integer goes in as its value, under a mark of its own. */
const INT32_MARK = 0x10008;

/**
 * The fingerprint of a row as the answer shows it, field by field, without building its JSON:
 * each name and value goes in with its length and kind, so no two rows' streams run together.
 * Nested values (related objects) go in as their JSON.
 */
export function fingerprintRow(row: Readonly<Record<string, unknown>>): string {
  start(0x2f2f);
  for (const name in row) {
    const value = row[name];
    unit(name.length);
    text(name);
    const kind = typeof value;
    // Keys and counts, the commonest numbers, skip their decimal text.
    if (kind === 'number' && ((value as number) | 0) === value) {
      unit(INT32_MARK);
      unit(value as number);
      continue;
    }
    unit(kindMark(kind));
    const shown =
      kind === 'string'
        ? (value as string)
        : kind === 'object'
          ? value === null
            ? ''
            : JSON.stringify(value)
          : String(value);
    unit(shown.length);
    text(shown);
  }
  return finish();
}
