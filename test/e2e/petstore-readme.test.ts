// The petstore README's curl session, replayed against a fresh server: every command gives exactly
// the output the README shows.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const PETSTORE = path.resolve(import.meta.dirname, '../../examples/petstore');
const README_URL = 'http://127.0.0.1:8000';

interface Step {
  command: string;
  output: string;
}

function consoleSteps(markdown: string): Step[] {
  const blocks = [...markdown.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const steps: Step[] = [];
  for (const block of blocks) {
    for (const chunk of block.split(/\n(?=\$ )/)) {
      const [command, ...output] = chunk.trim().split('\n');
      steps.push({ command: command!.replace(/^\$ /, ''), output: output.join('\n').trim() });
    }
  }
  return steps;
}

const steps = consoleSteps(readFileSync(path.join(PETSTORE, 'README.md'), 'utf8'));

describeEachDialect('petstore README curl session', (ctx) => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await startApp(PETSTORE, await ctx.createDatabaseUrl());
  });
  afterAll(() => server?.close());

  it('has a session to replay', () => {
    expect(steps.length).toBeGreaterThanOrEqual(7);
  });

  for (const [index, step] of steps.entries()) {
    it(`step ${index + 1}: ${step.command.slice(0, 70)}`, async () => {
      const command = step.command.replaceAll(README_URL, server.url);
      const { stdout } = await promisify(execFile)('bash', ['-c', command], { timeout: 10_000 });
      expect(stdout.trim()).toBe(step.output);
    });
  }
});
