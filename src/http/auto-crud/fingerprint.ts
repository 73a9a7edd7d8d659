// A 53-bit fingerprint of a string, for entity tags. SHA-1 through node:crypto cost more than the
// rest of a read by key; a tag needs no secrecy, only to change when the text does: a client can
// only ever send back tags this server gave it for the same resource.

/** Murmur3's finalizer: every input bit reaches every output bit. */
function avalanche(hash: number): number {
  let h = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b | 0);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35 | 0);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Two 32-bit multiplicative lanes (FNV-1a's prime and Murmur2's) over the UTF-16 code units, each
 * finalized, joined into one safe integer: two different texts share a fingerprint with odds of
 * 2^-53. Decimal, because Number#toString(16) and padding cost more than the hash itself.
 */
export function fingerprint(text: string): string {
  let a = 0x811c9dc5 | 0;
  let b = (text.length ^ 0x9747b28c) | 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995 | 0);
  }
  return String((avalanche(a) & 0x1fffff) * 0x100000000 + avalanche(b));
}
