import { ConfigError, loadConfig } from '@ect/platform';

// The Kafka part of the configuration (libs/platform/src/config.ts), which decides whether and where the relay runs.
const kafkaOf = (env: Record<string, string>) => loadConfig({ APP_ENV: 'test', ...env }).kafka;

describe('which Kafka the contact feeds use', () => {
  it('is none by default, the local broker with KAFKA=local, the cluster named by KAFKA_BROKERS otherwise', () => {
    expect(kafkaOf({})).toBeNull();
    expect(kafkaOf({ KAFKA: 'local' })).toBe('local');
    expect(kafkaOf({ KAFKA_BROKERS: 'k1:9092,k2:9092', KAFKA_SASL_USERNAME: 'ect-register-service', KAFKA_SASL_PASSWORD: 'secret-password' })).toBe('external');
  });

  it('refuses settings that cannot work, naming the variable', () => {
    const error = (env: Record<string, string>) => {
      try {
        kafkaOf(env);
      } catch (e) {
        return e instanceof ConfigError ? e.variable : e;
      }
      return null;
    };
    expect(error({ KAFKA: 'remote' })).toBe('KAFKA');
    expect(error({ KAFKA: 'local', KAFKA_BROKERS: 'k1:9092', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toBe('KAFKA');
    expect(error({ KAFKA_BROKERS: 'k1' })).toBe('KAFKA_BROKERS');
    expect(error({ KAFKA_BROKERS: 'k1:9092' })).toBe('KAFKA_SASL_USERNAME');
    expect(error({ KAFKA_BROKERS: 'k1:9092', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_MECHANISM: 'gssapi' })).toBe('KAFKA_SASL_MECHANISM');
  });
});
