// The API keys an app accepts, from SPECSTACK_API_KEYS: `key=subject:scope scope,key2=subject2`.
// Keys are held only as SHA-256 digests and every lookup compares against all of them in constant
// time, so neither the answer nor its timing tells how close a guess came.

import { createHash, timingSafeEqual } from 'node:crypto';
import { AUTH_CONFIG } from '../errors.ts';

export interface ApiKeyHolder {
  subject: string;
  scopes: string[];
}

export interface ApiKeyStore {
  readonly size: number;
  /** The holder of the presented key, or undefined when it is not one of the configured keys. */
  find(presented: string): ApiKeyHolder | undefined;
}

interface StoredKey extends ApiKeyHolder {
  digest: Buffer;
}

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** One entry: `key=subject` or `key=subject:scope1 scope2`. Errors name the entry, never the key. */
function parseEntry(entry: string, index: number): StoredKey {
  const fail = (why: string) =>
    AUTH_CONFIG(
      `SPECSTACK_API_KEYS entry ${index + 1}: ${why}; write key=subject or key=subject:scope1 scope2, entries separated by commas`,
    );
  const equals = entry.indexOf('=');
  if (equals < 0) throw fail('no "=" between the key and its subject');
  const key = entry.slice(0, equals).trim();
  const holder = entry.slice(equals + 1);
  const colon = holder.indexOf(':');
  const subject = (colon < 0 ? holder : holder.slice(0, colon)).trim();
  const scopes =
    colon < 0
      ? []
      : holder
          .slice(colon + 1)
          .split(/\s+/)
          .filter(Boolean);
  if (key === '') throw fail('the key is empty');
  if (/\s/.test(key)) throw fail('the key contains white space');
  if (subject === '') throw fail('the subject is empty');
  return { digest: digest(key), subject, scopes };
}

export function parseApiKeys(value: string | undefined): ApiKeyStore {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const keys = entries.map(parseEntry);
  const seen = new Set<string>();
  keys.forEach((key, index) => {
    const hex = key.digest.toString('hex');
    if (seen.has(hex)) {
      throw AUTH_CONFIG(`SPECSTACK_API_KEYS entry ${index + 1}: the same key is listed twice`);
    }
    seen.add(hex);
  });
  return {
    size: keys.length,
    find(presented) {
      const wanted = digest(presented);
      let match: StoredKey | undefined;
      // No early exit: every configured key is compared whatever matched.
      for (const key of keys) {
        if (timingSafeEqual(key.digest, wanted)) match = key;
      }
      return match ? { subject: match.subject, scopes: [...match.scopes] } : undefined;
    },
  };
}
