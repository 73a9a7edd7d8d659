// Which database a DATABASE_URL names. The one place that knows the accepted URL forms.

import path from 'node:path';
import { DATABASE_URL_INVALID } from '../errors.ts';
import type { Dialect } from './database.ts';

export type DatabaseLocation =
  | { dialect: 'sqlite' /** Absolute file path, or `:memory:`. */; filename: string }
  | { dialect: 'postgres'; url: string };

export const ACCEPTED_URL_FORMS = [
  'sqlite:path/to/file.db',
  'sqlite::memory:',
  'postgres://user:password@host:5432/database',
  'postgresql://user:password@host:5432/database',
] as const;

export function parseDatabaseUrl(url: string, baseDir: string = process.cwd()): DatabaseLocation {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', url };
  }
  if (url.startsWith('sqlite:')) {
    // `sqlite://` is tolerated: `sqlite:///abs/path.db` and `sqlite://rel.db` mean what they look like.
    const rest = url
      .slice('sqlite:'.length)
      .replace(/^\/\/(?=\/)/, '')
      .replace(/^\/\//, '');
    if (rest === ':memory:') return { dialect: 'sqlite', filename: ':memory:' };
    if (rest !== '') return { dialect: 'sqlite', filename: path.resolve(baseDir, rest) };
  }
  throw DATABASE_URL_INVALID(
    `unsupported database URL ${JSON.stringify(maskPassword(url))}: use one of ${ACCEPTED_URL_FORMS.join(', ')}`,
    { details: { accepted: [...ACCEPTED_URL_FORMS] } },
  );
}

export function dialectOfUrl(url: string): Dialect {
  return parseDatabaseUrl(url).dialect;
}

/** The URL with any password replaced by `***`, for logs and error messages. */
export function maskPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}
