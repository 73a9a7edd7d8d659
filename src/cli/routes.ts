// `specstack routes`: every operation, the code that serves it and the security it requires.

import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { loadHandlerModules } from '../http/handler-modules.ts';
import { describeRoutes, formatRouteTable } from '../http/route-table.ts';
import { deriveModel } from '../model/derive-model.ts';
import { loadSpec } from '../spec/index.ts';
import { reportError } from './report-error.ts';

export function routesCommand(): Command {
  return new Command('routes')
    .description('list the operations, what serves each one and who may call it')
    .option('--app <dir>', 'the app folder (holds openapi.yaml)', process.cwd())
    .action(async (options: { app: string }) => {
      try {
        const config = loadConfig({ appDir: options.app });
        const spec = await loadSpec(config.specPath);
        const model = deriveModel(spec.document, spec.file);
        const modules = await loadHandlerModules(config.handlersDir);
        const rows = describeRoutes(
          spec.document as unknown as Record<string, unknown>,
          spec.file,
          model,
          modules,
        );
        process.stdout.write(`${formatRouteTable(rows)}\n`);
      } catch (error) {
        reportError(error);
      }
    });
}
