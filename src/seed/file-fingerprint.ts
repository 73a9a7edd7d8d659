// A cheap identity for a data file: its size and a hash of its head and tail. Files of hundreds of
// megabytes are fingerprinted without reading them whole; mtime is left out, so a fresh checkout of
// the same file still resumes.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const SAMPLE = 64 * 1024;

export async function fileFingerprint(
  file: string,
): Promise<{ fingerprint: string; size: number }> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the CSV file `specstack seed` was given
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256');
    const head = Buffer.alloc(Math.min(SAMPLE, size));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > SAMPLE) {
      const tail = Buffer.alloc(Math.min(SAMPLE, size - SAMPLE));
      await handle.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
    return { fingerprint: `${size}:${hash.digest('hex').slice(0, 32)}`, size };
  } finally {
    await handle.close();
  }
}
