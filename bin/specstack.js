#!/usr/bin/env node
// The specstack command. Apps and the framework are TypeScript, loaded through tsx's ESM hooks.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
