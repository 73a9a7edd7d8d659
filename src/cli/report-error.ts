// How every command ends on an error: one line a user can act on, the stack only when asked for.

import { isSpecstackError } from '../errors.ts';

export function reportError(error: unknown): void {
  if (isSpecstackError(error)) {
    // Every spec and model error names where the fault is; say it first when the message does not.
    const where =
      error.pointer && !error.message.includes(error.pointer) ? `${error.pointer}: ` : '';
    process.stderr.write(`error ${error.code}: ${where}${error.message}\n`);
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  if (process.env.SPECSTACK_DEBUG === '1' && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
}
