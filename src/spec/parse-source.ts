// Turns the text of one spec file into a value. YAML 1.2 is a superset of JSON, so one parser
// reads both whatever the file extension says, and its errors carry a line and a column.

import { LineCounter, parseDocument } from 'yaml';
import { SPEC_PARSE } from '../errors.ts';

/** Parses YAML or JSON text; `displayName` (e.g. `schemas/pet.yaml`) is only used in error messages. */
export function parseSource(text: string, displayName: string): unknown {
  const lineCounter = new LineCounter();
  // uniqueKeys (the default) makes a duplicated key a syntax error instead of a silent overwrite.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [first] = document.errors;
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const sourceLine = text.split(/\r?\n/)[line - 1] ?? '';
    const more = document.errors.length > 1 ? ` (and ${document.errors.length - 1} more)` : '';
    throw SPEC_PARSE(
      `${displayName}:${line}:${col}: ${first.message}${more}\n  ${line} | ${sourceLine}\n  ${' '.repeat(String(line).length)} | ${' '.repeat(Math.max(col - 1, 0))}^`,
      {
        pointer: `${displayName}:${line}:${col}`,
        details: { file: displayName, line, column: col },
      },
    );
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) {
    throw SPEC_PARSE(`${displayName}: the file is empty`, {
      details: { file: displayName, line: 1, column: 1 },
    });
  }
  return value;
}
