#!/usr/bin/env node
// The specstack command. Installed from the package it runs the compiled dist/; in its own
// repository, where src/ sits beside bin/, it runs the TypeScript sources through tsx, no build
// step. An app's own TypeScript modules load either way (src/typescript-loader.ts).
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const source = new URL('../src/cli/main.ts', import.meta.url);
// eslint-disable-next-line security/detect-non-literal-fs-filename -- a file of this package, by URL
if (existsSync(source)) {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  // The examples import `specstack`: resolved to these sources too, an app and the command share
  // one copy of the framework (one SpecstackError class, one respond()).
  register(new URL('./source-hooks.js', import.meta.url));
  await import(source.href);
} else {
  await import('../dist/cli/main.js');
}
