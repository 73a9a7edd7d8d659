// Finds the handler of each operation: `x-handler: module#export`, else an export named like the
// operationId in one of the modules of the handlers folder.

import path from 'node:path';
import { appModuleFiles, importAppModule } from '../app-module.ts';
import { HANDLER_MISMATCH, HANDLER_NOT_FOUND } from '../errors.ts';
import { type Handler, typedOperationId } from './handler-types.ts';
import type { Operation } from './operations.ts';

export type HandlerModules = Map<string, Record<string, unknown>>;

/** The modules of the handlers folder, its subfolders included, relative to it. */
export const handlerModuleFiles = (handlersDir: string) =>
  appModuleFiles(handlersDir, { recursive: true });

/** Imports every module of the handlers folder, keyed by its name without extension. */
export async function loadHandlerModules(handlersDir: string): Promise<HandlerModules> {
  const modules: HandlerModules = new Map();
  for (const file of handlerModuleFiles(handlersDir)) {
    const name = file.slice(0, -path.extname(file).length).split(path.sep).join('/');
    modules.set(name, await importAppModule(path.join(handlersDir, file)));
  }
  return modules;
}

export interface FoundHandler {
  handler: Handler;
  /** Where it lives, for people: `handlers/pets#listPets`. */
  source: string;
}

function asHandler(value: unknown, source: string, operation: Operation): FoundHandler {
  if (typeof value !== 'function') {
    throw HANDLER_NOT_FOUND(`${operation.pointer}: ${source} is not a function`, {
      pointer: operation.pointer,
    });
  }
  const typedFor = typedOperationId(value);
  if (typedFor !== undefined && typedFor !== operation.operation.operationId) {
    throw HANDLER_MISMATCH(
      `${operation.pointer}: ${source} is handler('${typedFor}', …), typed for another operation than ${operation.name}`,
      { pointer: operation.pointer },
    );
  }
  return { handler: value as Handler, source };
}

/** The operation's handler, or undefined when none is declared or exported (auto-CRUD may serve it). */
export function findHandler(
  modules: HandlerModules,
  operation: Operation,
): FoundHandler | undefined {
  const explicit = operation.operation['x-handler'];
  if (typeof explicit === 'string') {
    const [moduleName = '', exportName = operation.operation.operationId ?? 'default'] =
      explicit.split('#');
    const module = modules.get(moduleName);
    if (!module || !(exportName in module)) {
      throw HANDLER_NOT_FOUND(
        `${operation.pointer}/x-handler: handlers/${moduleName} has no export "${exportName}" (found modules: ${[...modules.keys()].join(', ') || 'none'})`,
        { pointer: `${operation.pointer}/x-handler` },
      );
    }
    return asHandler(module[exportName], `handlers/${moduleName}#${exportName}`, operation);
  }
  const operationId = operation.operation.operationId;
  if (!operationId) return undefined;
  const owners = [...modules].filter(([, module]) => operationId in module);
  if (owners.length > 1) {
    throw HANDLER_NOT_FOUND(
      `${operation.pointer}: operationId "${operationId}" is exported by several handler modules (${owners.map(([name]) => name).join(', ')}); name one with x-handler`,
      { pointer: operation.pointer },
    );
  }
  const owner = owners[0];
  return owner
    ? asHandler(owner[1][operationId], `handlers/${owner[0]}#${operationId}`, operation)
    : undefined;
}
