import { ConfigError, loadConfig } from './config';

const secret = 'x'.repeat(40);
const masterKey = 'ab'.repeat(32);

describe('configuration from the environment', () => {
  it('has working defaults for a first look', () => {
    const config = loadConfig({}, '/srv/app', new Date('2026-11-25T00:00:00Z'));
    expect(config).toMatchObject({
      appEnv: 'development',
      port: 3000,
      dataDir: '/srv/app/.data',
      eventStore: 'postgres',
      databaseUrl: null,
      authJwtSecret: null,
      lastContractPeriod: 2027,
      projectionsInProcess: true,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ EVENT_STORE: 'mysql' }, 'EVENT_STORE'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ EVENT_STORE: 'eventstoredb' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MASTER_KEY: 'too-short' }, 'MASTER_KEY'],
    [{ MASTER_KEY: 'ab'.repeat(31) }, 'MASTER_KEY'],
  ])('refuses %p naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Configuration error: ${variable} `));
  });

  it('takes MASTER_KEY as 64 hex digits or as base64 of 32 bytes', () => {
    const bytes = Buffer.alloc(32, 7);
    expect(loadConfig({ MASTER_KEY: bytes.toString('hex') }).masterKey).toEqual(bytes);
    expect(loadConfig({ MASTER_KEY: bytes.toString('base64') }).masterKey).toEqual(bytes);
    expect(loadConfig({ MASTER_KEY: bytes.toString('base64url') }).masterKey).toEqual(bytes);
    expect(loadConfig({}).masterKey).toBeNull();
  });

  describe('in production', () => {
    it('refuses to start without its secrets or a database URL, naming each', () => {
      expect(() => loadConfig({ APP_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET must be set in production/);
      expect(() => loadConfig({ APP_ENV: 'production', AUTH_JWT_SECRET: secret })).toThrow(/STREAM_KEY_SECRET must be set in production/);
      expect(() => loadConfig({ APP_ENV: 'production', AUTH_JWT_SECRET: secret, STREAM_KEY_SECRET: secret })).toThrow(/MASTER_KEY must be set in production/);
      expect(() => loadConfig({ APP_ENV: 'production', AUTH_JWT_SECRET: secret, STREAM_KEY_SECRET: secret, MASTER_KEY: masterKey })).toThrow(
        /DATABASE_URL must be set in production/,
      );
    });

    it('runs the projections in their own process unless told otherwise', () => {
      const config = loadConfig({ APP_ENV: 'production', AUTH_JWT_SECRET: secret, STREAM_KEY_SECRET: secret, MASTER_KEY: masterKey, DATABASE_URL: 'postgres://db/ect' });
      expect(config.projectionsInProcess).toBe(false);
    });
  });
});
