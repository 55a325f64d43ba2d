import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@ect/platform';
import { createRuntime, mintToken, type Clock, type Role, type Runtime } from '@ect/nest-kit';
import { startProjector, type Projector } from '@ect/projection-runtime';
import { allProjections } from '@ect-projections';
import { CommandRunner } from '@ect/command-runner';
import { createApiApp } from '../../apps/api/src/api.app';
import { apiMigrations } from '../../apps/api/src/api.migrations';
import { freshDatabase, type TestDatabase } from './database';

export const TEST_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const TEST_STREAM_KEY = 'test-stream-key-test-stream-key-0123456789';
/** One master key for every test API, so two APIs on one database open each other's personal data. */
export const TEST_MASTER_KEY = '7e'.repeat(32);

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export interface TestApi {
  app: NestFastifyApplication;
  runtime: Runtime;
  database: TestDatabase | null;
  /** Sends a request through the whole HTTP stack (Fastify inject: routing, guards, filters, serialisation). */
  request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    options?: { role?: Role | Role[] | null; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  token(roles: Role | Role[], claims?: { sub?: string; leadProviderId?: string }): Promise<string>;
  close(): Promise<void>;
}

/** A real API (Nest + Fastify) on a fresh real PostgreSQL database; `databaseUrl` to use an existing one. */
export async function startTestApi(
  options: { clock?: Clock; databaseUrl?: string; env?: Record<string, string>; projector?: boolean } = {},
): Promise<TestApi> {
  const database = options.databaseUrl ? null : await freshDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'ect-api-test-'));
  const config = loadConfig({
    APP_ENV: 'test',
    DATABASE_URL: options.databaseUrl ?? database!.url,
    AUTH_JWT_SECRET: TEST_AUTH_SECRET,
    STREAM_KEY_SECRET: TEST_STREAM_KEY,
    MASTER_KEY: TEST_MASTER_KEY,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    ...options.env,
  });
  const runtime = await createRuntime(config, { migrations: apiMigrations, clock: options.clock, poolSize: 10 });
  const app = await createApiApp(runtime, { logger: false });
  const projector: Projector | null = options.projector
    ? startProjector({ pool: runtime.pool, eventStore: runtime.eventStore, projections: allProjections(new CommandRunner(runtime.eventStore, { newId: runtime.newId })), lockRetryMs: 200 })
    : null;
  const fastify = app.getHttpAdapter().getInstance();
  const token = (roles: Role | Role[], claims: { sub?: string; leadProviderId?: string } = {}) =>
    mintToken(TEST_AUTH_SECRET, { sub: claims.sub ?? 'test-service', roles: Array.isArray(roles) ? roles : [roles], leadProviderId: claims.leadProviderId });
  return {
    app,
    runtime,
    database,
    token,
    async request(method, url, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const bearer = opts.token ?? (opts.role ? await token(opts.role) : undefined);
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      let payload: string | undefined;
      if (opts.rawBody !== undefined) payload = opts.rawBody;
      else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
      if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const response = await fastify.inject({ method, url, headers, payload });
      const text = response.body;
      let body: unknown = text;
      if (text && /json/.test(String(response.headers['content-type']))) body = JSON.parse(text);
      return { status: response.statusCode, headers: response.headers as TestResponse['headers'], body };
    },
    async close() {
      await projector?.stop();
      await app.close();
      await runtime.close();
      await database?.drop();
    },
  };
}

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}
