// JSON pointers into the spec file, the way every model error names where the fault is.

import path from 'node:path';
import { escapeToken } from '../spec/json-pointer.ts';

/** `openapi.yaml#/components/schemas/Pet` (plus further tokens), named by the spec's file name. */
export function schemaPointer(file: string, schemaName: string, ...tokens: string[]): string {
  const where = [schemaName, ...tokens].map(escapeToken).join('/');
  return `${path.basename(file)}#/components/schemas/${where}`;
}
