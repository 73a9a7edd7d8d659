// `specstack check`: the property-based contract check of an app, in-process on a throwaway
// database (or against a running server with --url); exit code 1 when a check fails.

import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { junitXml } from '../check/junit.ts';
import { formatResult } from '../check/report.ts';
import { DEFAULT_EXAMPLES, runCheck } from '../check/run-check.ts';
import { reportError } from './report-error.ts';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('must be a non-negative integer');
  return parsed;
}

interface CheckCommandOptions {
  app: string;
  url?: string;
  spec?: string;
  seed?: number;
  examples: number;
  timeLimit?: number;
  token?: string;
  apiKey?: string;
  login?: string;
  tokenPointer?: string;
  jwtSecret?: string;
  seedData?: boolean;
  operation?: string[];
  junit?: string;
}

export function checkCommand(): Command {
  return new Command('check')
    .description(
      'property-based contract tests of every operation: generated requests, response checks, stateful sequences',
    )
    .option('--app <dir>', 'the app folder (holds openapi.yaml)', process.cwd())
    .option('--url <url>', 'check a running server at this base URL instead of the app in-process')
    .option('--spec <file>', "the contract to check against (default: the app's spec)")
    .option('--seed <n>', 'fast-check seed: the same seed sends the same requests', positiveInteger)
    .option(
      '--examples <n>',
      'generated requests per operation and kind',
      positiveInteger,
      DEFAULT_EXAMPLES,
    )
    .option('--time-limit <seconds>', 'stop generating after this long', positiveInteger)
    .option('--token <token>', 'bearer token for operations with security (SPECSTACK_CHECK_TOKEN)')
    .option('--api-key <key>', 'API key for operations with security (SPECSTACK_CHECK_API_KEY)')
    .option(
      '--login <request>',
      `a login to call first, e.g. 'POST /api/login {"email":"…","password":"…"}' (SPECSTACK_CHECK_LOGIN)`,
    )
    .option(
      '--token-pointer <pointer>',
      'JSON pointer of the token in the login response (default /access_token, /token, …)',
    )
    .option(
      '--jwt-secret <secret>',
      "the server's HS256 secret, to make a token with fewer scopes (--url mode; SPECSTACK_CHECK_JWT_SECRET)",
    )
    .option('--seed-data', "run the app's seed on the throwaway database first (in-process)")
    .option(
      '--operation <name...>',
      'only operations whose operationId or "METHOD /path" contains this',
    )
    .option('--junit <file>', 'write a JUnit XML report here')
    .action(async (options: CheckCommandOptions) => {
      try {
        const result = await runCheck({
          appDir: options.app,
          ...(options.url ? { url: options.url } : {}),
          ...(options.spec ? { specPath: options.spec } : {}),
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
          examples: options.examples,
          ...(options.timeLimit !== undefined ? { timeLimit: options.timeLimit } : {}),
          ...(options.token ? { token: options.token } : {}),
          ...(options.apiKey ? { apiKey: options.apiKey } : {}),
          ...(options.login ? { login: options.login } : {}),
          ...(options.tokenPointer ? { tokenPointer: options.tokenPointer } : {}),
          ...(options.jwtSecret ? { jwtSecret: options.jwtSecret } : {}),
          ...(options.seedData ? { seedData: true } : {}),
          ...(options.operation ? { operations: options.operation } : {}),
          progress: (line) => process.stdout.write(`${line}\n`),
        });
        process.stdout.write(`${formatResult(result)}\n`);
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- the --junit path the developer gave
        if (options.junit) writeFileSync(options.junit, junitXml(result));
        if (!result.ok) process.exitCode = 1;
      } catch (error) {
        reportError(error);
      }
    });
}
