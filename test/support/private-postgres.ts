// A PostgreSQL cluster of a suite's own, in a temporary folder on a free port, for the fault suites
// that stop and start it (the shared server of SPECSTACK_TEST_POSTGRES_URL must not be disturbed).
// initdb refuses to run as root: as root the cluster is made and run as the `postgres` OS user
// (runuser), which Debian's postgresql package creates; as anyone else, as that user.
// The binaries come from SPECSTACK_TEST_POSTGRES_BIN, else the newest /usr/lib/postgresql/*/bin.

import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';

function findBinaries(): string | undefined {
  const given = process.env.SPECSTACK_TEST_POSTGRES_BIN;
  if (given) return existsSync(path.join(given, 'pg_ctl')) ? given : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(path.join(root, version, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

/** The folder holding initdb and pg_ctl, or undefined when PostgreSQL's server is not installed. */
export const POSTGRES_BIN = findBinaries();

/** Why a private cluster cannot be run here, or undefined when it can. */
export const privatePostgresProblem: string | undefined = (() => {
  if (!POSTGRES_BIN) return 'no initdb/pg_ctl (set SPECSTACK_TEST_POSTGRES_BIN)';
  if (userInfo().uid !== 0) return undefined;
  const probe = spawnSync('runuser', ['-u', 'postgres', '--', 'true']);
  return probe.status === 0 ? undefined : 'running as root with no `postgres` user for initdb';
})();

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  start(): void;
  /**
   * `pg_ctl stop`: `fast` (the default) terminates open connections and shuts down cleanly, as an
   * operator's stop does; `immediate` kills the server as a crash would (recovery at next start).
   */
  stop(mode?: 'fast' | 'immediate'): void;
  /** The server's log, for a failure message. */
  log(): string;
  /** Stops the server if it runs and removes its folder. */
  remove(): void;
}

export async function createPrivatePostgres(): Promise<PrivatePostgres> {
  if (privatePostgresProblem) throw new Error(privatePostgresProblem);
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-pg-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const run = (binary: string, args: string[]) => {
    const file = path.join(POSTGRES_BIN!, binary);
    const [command, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', file, ...args]]
      : [file, args];
    const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) {
      throw new Error(`${binary} failed (${result.status}): ${result.stderr}${result.stdout}`);
    }
  };
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  // The socket in the folder (not /var/run/postgresql, which may be another user's); fsync off:
  // a fault suite stops the server with pg_ctl, never the machine.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  let running = false;
  const cluster: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start() {
      run('pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '30', 'start']);
      running = true;
    },
    stop(mode = 'fast') {
      run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
      running = false;
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    remove() {
      if (running) {
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch {
          // Already gone.
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
