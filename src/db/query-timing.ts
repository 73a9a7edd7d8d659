// How long the repositories' statements take, for the metrics (http/metrics/metrics.ts): each
// Database holds one slot for an observer, empty unless metrics are on, so that a statement pays
// one check when nobody listens.

export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'other';

/** Told of every statement a repository ran: its kind, its duration in seconds, and whether it failed. */
export type QueryObserver = (kind: StatementKind, seconds: number, failed: boolean) => void;

export interface QueryTiming {
  observer: QueryObserver | undefined;
}

export function createQueryTiming(): QueryTiming {
  return { observer: undefined };
}

/** The statement's kind from its first word (`with … select` is a select). */
export function statementKind(sql: string): StatementKind {
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  if (word === 'select' || word === 'with') return 'select';
  if (word === 'insert' || word === 'update' || word === 'delete') return word;
  return 'other';
}
