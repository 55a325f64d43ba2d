import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A personal field as stored: its value encrypted with AES-256-GCM under the subject's data key (generation `g`).
 * The additional authenticated data binds the ciphertext to its subject, key generation, event and field, so a
 * ciphertext copied to another field, event or subject does not decrypt. Only strings are personal fields here.
 *
 * `{"$pd": "v1", "s": "<type>:<hash>", "g": 1, "iv": "<base64>", "ct": "<base64>", "tag": "<base64>"}`
 *
 * The hash chain covers this stored form, so destroying the key later changes nothing that was hashed.
 */
export interface Envelope {
  $pd: 'v1';
  s: string;
  g: number;
  iv: string;
  ct: string;
  tag: string;
}

export function isEnvelope(value: unknown): value is Envelope {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return v.$pd === 'v1' && typeof v.s === 'string' && Number.isInteger(v.g) && typeof v.iv === 'string' && typeof v.ct === 'string' && typeof v.tag === 'string';
}

/** Where a field is: subject, key generation, event id (lower-case) and dotted path. */
export interface FieldContext {
  subject: string;
  generation: number;
  eventId: string;
  path: string;
}

const aad = (c: FieldContext) => Buffer.from(`pd|v1|${c.subject}|${c.generation}|${c.eventId.toLowerCase()}|${c.path}`, 'utf8');

export function seal(key: Buffer, plaintext: string, context: FieldContext): Envelope {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(context));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { $pd: 'v1', s: context.subject, g: context.generation, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export class EnvelopeError extends Error {
  constructor(context: FieldContext) {
    // Names where, never what: no plaintext or key material in messages (they may reach logs).
    super(`The personal field ${context.path} of event ${context.eventId} does not decrypt: it was altered or moved`);
    this.name = 'EnvelopeError';
  }
}

export function open(key: Buffer, envelope: Envelope, context: FieldContext): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
    decipher.setAAD(aad(context));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new EnvelopeError(context);
  }
}

/** A data key wrapped under the master key: iv (12) | tag (16) | ciphertext (32), bound to subject and generation. */
export function wrapKey(masterKey: Buffer, dataKey: Buffer, subject: string, generation: number): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(`pd_keys|v1|${subject}|${generation}`, 'utf8'));
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
}

export class MasterKeyMismatchError extends Error {
  constructor() {
    super('A data key does not unwrap with this MASTER_KEY: it is not the key the data keys were wrapped with');
    this.name = 'MasterKeyMismatchError';
  }
}

export function unwrapKey(masterKey: Buffer, wrapped: Buffer, subject: string, generation: number): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from(`pd_keys|v1|${subject}|${generation}`, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
  } catch {
    throw new MasterKeyMismatchError();
  }
}
