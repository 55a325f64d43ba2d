import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface PostgresProcess {
  url: string;
  port: number;
  /** Stops the server (fast shutdown) and waits for its process to end. */
  stop(): Promise<void>;
}

/** Starts a real PostgreSQL server in a child process (see pg-server.ts). */
export function startPostgresProcess(dataDir: string, opts: { persistent?: boolean; port?: number } = {}): Promise<PostgresProcess> {
  const args = [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(__dirname, 'pg-server.ts'), dataDir];
  if (opts.persistent) args.push('--persistent');
  if (opts.port) args.push('--port', String(opts.port));
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`PostgreSQL process exited (${code}) before it was ready:\n${stderr}`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      const { url, port } = JSON.parse(line) as { url: string; port: number };
      resolve({ url, port, stop: () => stopChild(child) });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
