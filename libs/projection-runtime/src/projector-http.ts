import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Projector } from './projector';

export interface ProjectorHttp {
  port: number;
  close(): Promise<void>;
}

/**
 * The projector's own small HTTP server: `GET /metrics` (Prometheus text) and `GET /health` (JSON with each
 * projection's state). /health answers 200 while the process works, also when a projection failed (its state says
 * so and `status` is `failed`): restarting would not fix a handler bug, and the standby must not be killed for it.
 */
export async function serveProjectorHttp(projector: Projector, options: { port: number; host?: string }): Promise<ProjectorHttp> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(projector.health()));
      return;
    }
    if (path === '/metrics') {
      projector.metrics().then(
        (text) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text),
        (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${error.message}\n`),
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
