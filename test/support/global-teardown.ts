import { stopGlobalKafka } from './kafka-global';
import type { PostgresProcess } from './postgres-process';

export default async function globalTeardown(): Promise<void> {
  await Promise.all([(globalThis as { __TEST_POSTGRES__?: PostgresProcess }).__TEST_POSTGRES__?.stop(), stopGlobalKafka()]);
}
