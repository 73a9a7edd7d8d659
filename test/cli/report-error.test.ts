import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/cli/report-error.ts';
import { MODEL_INVALID, SPEC_INVALID } from '../../src/errors.ts';

describe('how a command reports an error', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    // reportError sets the exit code of the process; this one is a test worker.
    process.exitCode = 0;
  });

  function printed(error: unknown): string {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    reportError(error);
    return lines.join('');
  }

  it('puts the pointer of the fault first when the message does not name it', () => {
    const error = MODEL_INVALID('schema Pet has no primary key', {
      pointer: 'openapi.yaml#/components/schemas/Pet',
    });
    expect(printed(error)).toBe(
      'error SPECSTACK_ERR_MODEL_INVALID: openapi.yaml#/components/schemas/Pet: schema Pet has no primary key\n',
    );
  });

  it('does not repeat a pointer the message already starts with', () => {
    const pointer = 'openapi.yaml#/paths/~1pets/get';
    const error = SPEC_INVALID(`${pointer}: must have required property 'responses'`, { pointer });
    expect(printed(error)).toBe(
      `error SPECSTACK_ERR_SPEC_INVALID: ${pointer}: must have required property 'responses'\n`,
    );
  });

  it('prints no stack unless SPECSTACK_DEBUG=1', () => {
    expect(printed(new Error('boom'))).toBe('error: boom\n');
  });

  it('shows a driver error code, and sets exit code 1', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(printed(refused)).toBe('error ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432\n');
    expect(process.exitCode).toBe(1);
  });
});
