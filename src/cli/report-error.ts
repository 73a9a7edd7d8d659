// How every command ends on an error: one line a user can act on, exit code 1, and the stack only
// when asked for (SPECSTACK_DEBUG=1).

import { isSpecstackError } from '../errors.ts';

/** The code to show: specstack's own, else a driver's (`ECONNREFUSED`, a SQLSTATE), else none. */
function codeOf(error: unknown): string | undefined {
  if (isSpecstackError(error)) return error.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function reportError(error: unknown): void {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  // Every spec and model error names where the fault is; say it first when the message does not.
  const pointer = isSpecstackError(error) ? error.pointer : undefined;
  const where = pointer && !message.includes(pointer) ? `${pointer}: ` : '';
  process.stderr.write(`error${code ? ` ${code}` : ''}: ${where}${message}\n`);
  if (process.env.SPECSTACK_DEBUG === '1' && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = 1;
}
