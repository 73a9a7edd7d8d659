// Loaded with `node --import`: any import of drizzle-kit fails, so a test proves that a command
// (a server, above all) never loads the migration differ.
import { register } from 'node:module';

register(new URL('./refuse-drizzle-kit-hooks.mjs', import.meta.url));
