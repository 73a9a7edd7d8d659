// Password hashing with scrypt from node:crypto. The hash string carries its parameters and salt
// (`$scrypt$N=…,r=…,p=…$salt$key`), so the cost can be raised later without breaking old hashes.

import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const PREFIX = 'scrypt';
// N=2^15, r=8: 32 MiB and tens of milliseconds per hash; costly to guess, cheap enough per login.
const COST = 2 ** 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bounds a stored hash may ask for: a corrupt or hostile hash cannot make verify exhaust memory.
const MAX_COST = 2 ** 20;
const MAX_BLOCK_SIZE = 32;
const MAX_PARALLELISM = 16;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, length: number, params: ScryptParams) {
  const options: ScryptOptions = {
    ...params,
    // scrypt needs 128 * N * r bytes; Node's default limit (32 MiB) is just too small for N=2^15.
    maxmem: 256 * params.N * params.r,
  };
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function checkPassword(password: unknown): asserts password is string {
  if (typeof password !== 'string') throw new TypeError('password must be a string');
}

export async function hashPassword(password: string): Promise<string> {
  checkPassword(password);
  const params = { N: COST, r: BLOCK_SIZE, p: PARALLELISM };
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, params);
  const encoded = `N=${params.N},r=${params.r},p=${params.p}`;
  return `$${PREFIX}$${encoded}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** `N` of `N=16384,r=8,p=1`: an integer of at most 8 digits, else undefined. */
function integerParam(text: string, name: string): number | undefined {
  for (const part of text.split(',')) {
    const [key, value, ...extra] = part.split('=');
    if (key === name) {
      return extra.length === 0 && value !== undefined && /^\d{1,8}$/.test(value)
        ? Number(value)
        : undefined;
    }
  }
  return undefined;
}

function parseHash(hash: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const [empty, prefix, encoded, salt, key, ...rest] = hash.split('$');
  if (empty !== '' || prefix !== PREFIX || !encoded || !salt || !key || rest.length > 0) {
    return undefined;
  }
  const N = integerParam(encoded, 'N');
  const r = integerParam(encoded, 'r');
  const p = integerParam(encoded, 'p');
  if (N === undefined || r === undefined || p === undefined) return undefined;
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_COST || r < 1 || r > MAX_BLOCK_SIZE || p < 1 || p > MAX_PARALLELISM) {
    return undefined;
  }
  const saltBytes = Buffer.from(salt, 'base64');
  const keyBytes = Buffer.from(key, 'base64');
  if (saltBytes.length < 8 || keyBytes.length < 16) return undefined;
  return { params: { N, r, p }, salt: saltBytes, key: keyBytes };
}

/** True when the password matches the hash; false for a wrong password or a hash it cannot read. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  checkPassword(password);
  const parsed = typeof hash === 'string' ? parseHash(hash) : undefined;
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(key, parsed.key);
}
