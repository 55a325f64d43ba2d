import type { PostgresProcess } from './postgres-process';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __TEST_POSTGRES__?: PostgresProcess }).__TEST_POSTGRES__?.stop();
}
