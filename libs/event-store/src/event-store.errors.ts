import type { ExpectedVersion } from './event-store.port';

/** Base of the typed errors the event store raises; `code` is stable and reaches API problem documents. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedVersion,
    readonly actual: number | null,
  ) {
    super(
      `Stream ${streamName}: expected ${describe(expected)}, but its version is ${actual === null ? 'none (no stream)' : actual}`,
    );
  }
}

export class InvalidStreamNameError extends EventStoreError {
  readonly code = 'INVALID_STREAM_NAME';
  constructor(readonly streamName: string, reason: string) {
    super(`Invalid stream name ${JSON.stringify(streamName.slice(0, 100))}: ${reason}`);
  }
}

export class InvalidEventError extends EventStoreError {
  readonly code = 'INVALID_EVENT';
  constructor(message: string) {
    super(message);
  }
}

export class EventTooLargeError extends EventStoreError {
  readonly code = 'EVENT_TOO_LARGE';
  constructor(readonly eventType: string, readonly bytes: number, readonly limit: number) {
    super(`Event ${eventType} is ${bytes} bytes; the limit is ${limit} bytes`);
  }
}

/** The same event id was appended again with different content or to a different place. */
export class EventIdConflictError extends EventStoreError {
  readonly code = 'EVENT_ID_CONFLICT';
  constructor(readonly eventId: string, reason: string) {
    super(`Event id ${eventId} is already stored: ${reason}`);
  }
}

export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

function describe(expected: ExpectedVersion): string {
  switch (expected.kind) {
    case 'exact':
      return `version ${expected.version}`;
    case 'no-stream':
      return 'no stream';
    case 'stream-exists':
      return 'an existing stream';
    case 'any':
      return 'any version';
  }
}
