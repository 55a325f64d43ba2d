import { randomBytes } from 'node:crypto';
import { EnvelopeError, isEnvelope, MasterKeyMismatchError, open, seal, unwrapKey, wrapKey, type FieldContext } from './envelope';

const key = randomBytes(32);
const where: FieldContext = { subject: `user:${'a'.repeat(64)}`, generation: 1, eventId: '0b7e8a52-5f0c-4f0e-9d4e-7c1a2b3c4d5e', path: 'email' };

describe('a sealed personal field', () => {
  it('holds no plaintext, names its subject and key generation, and opens to the value with the same key and place', () => {
    const envelope = seal(key, 'alice.smith@oak.example.org', where);
    expect(isEnvelope(envelope)).toBe(true);
    expect(JSON.stringify(envelope)).not.toMatch(/alice|smith|oak/i);
    expect(envelope).toMatchObject({ $pd: 'v1', s: where.subject, g: 1 });
    expect(open(key, envelope, where)).toBe('alice.smith@oak.example.org');
  });

  it('differs every time, so equal values cannot be told apart in storage', () => {
    expect(seal(key, 'Alice', where).ct).not.toBe(seal(key, 'Alice', where).ct);
  });

  it.each([
    ['another key', { key: randomBytes(32) }],
    ['another field', { context: { ...where, path: 'firstName' } }],
    ['another event', { context: { ...where, eventId: '1b7e8a52-5f0c-4f0e-9d4e-7c1a2b3c4d5e' } }],
    ['another subject', { context: { ...where, subject: `user:${'b'.repeat(64)}` } }],
    ['another generation', { context: { ...where, generation: 2 } }],
  ])('does not open with %s', (_, change: { key?: Buffer; context?: FieldContext }) => {
    const envelope = seal(key, 'Alice', where);
    expect(() => open(change.key ?? key, envelope, change.context ?? where)).toThrow(EnvelopeError);
  });

  it('does not open once its ciphertext was altered, and the error names the field but not the value', () => {
    const envelope = seal(key, 'Alice', where);
    const altered = { ...envelope, ct: Buffer.from('Alicf').toString('base64') };
    expect(() => open(key, altered, where)).toThrow(/personal field email of event 0b7e8a52/);
    expect(() => open(key, altered, where)).not.toThrow(/Alice/);
  });

  it('is told apart from plain data by its shape', () => {
    expect(isEnvelope('alice@example.org')).toBe(false);
    expect(isEnvelope({ $pd: 'v1', s: 'x' })).toBe(false);
    expect(isEnvelope(null)).toBe(false);
  });
});

describe('a wrapped data key', () => {
  const master = randomBytes(32);
  it('unwraps with the master key for its own subject and generation only', () => {
    const wrapped = wrapKey(master, key, where.subject, 1);
    expect(wrapped.includes(key)).toBe(false);
    expect(unwrapKey(master, wrapped, where.subject, 1)).toEqual(key);
    expect(() => unwrapKey(master, wrapped, where.subject, 2)).toThrow(MasterKeyMismatchError);
    expect(() => unwrapKey(randomBytes(32), wrapped, where.subject, 1)).toThrow(/does not unwrap with this MASTER_KEY/);
  });
});
