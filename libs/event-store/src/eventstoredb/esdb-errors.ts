import {
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, InvalidEventError } from '../event-store.errors';

/** gRPC status codes (from @grpc/grpc-js `status`) that mean the server could not be reached or did not answer. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/**
 * Whether the server is away or could not answer in time. The client raises its own UnavailableError on reads, but
 * a raw gRPC error (code 14) when the very first call of a connection (the server-features probe) fails. A timed-out
 * or leader-changed append may or may not have been stored; the caller retries it and idempotency answers.
 */
export function isUnavailable(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError
  ) {
    return true;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED;
}

/** The port's error for a client error, when there is one; otherwise the error itself. */
export function translateError(error: unknown): unknown {
  if (isUnavailable(error)) {
    return new EventStoreUnavailableError(`EventStoreDB is unreachable: ${(error as Error).message}`, error);
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new InvalidEventError(`The append is larger than the server's maximum append size of ${error.maxAppendSize} bytes`);
  }
  return error;
}

export function isWrongExpectedVersion(error: unknown): error is EsdbWrongExpectedVersionError {
  return error instanceof EsdbWrongExpectedVersionError;
}

/** The stream's version the server reported with a wrong-expected-version error; null when it has no stream. */
export function actualVersionOf(error: EsdbWrongExpectedVersionError): number | null {
  const actual = error.actualVersion;
  return typeof actual === 'bigint' && actual >= 0n ? Number(actual) : null;
}
