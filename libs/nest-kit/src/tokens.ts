/** Injection tokens for the infrastructure every module shares. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const PG_POOL = Symbol('PG_POOL');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const COMMAND_RUNNER = Symbol('COMMAND_RUNNER');
export const CLOCK = Symbol('CLOCK');
export const STREAM_KEYS = Symbol('STREAM_KEYS');
export const AUTH_SECRET = Symbol('AUTH_SECRET');
export const CONTRACT_PERIODS = Symbol('CONTRACT_PERIODS');

/** The service's clock; tests inject a fixed one. */
export interface Clock {
  now(): Date;
}

/** Secret for keyed hashes in stream names (see libs/teachers). */
export interface StreamKeys {
  secret: string;
}
