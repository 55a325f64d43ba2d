import { streamCategory, type NewEvent, type StoredEvent } from '@ect/event-store';
import { isEnvelope, open, seal, type Envelope } from './envelope';
import { PERSONAL_DATA_ERASED, type PersonalDataErasedData } from './erasure.events';
import type { KeyStore } from './key-store';
import { DOMAIN_CATEGORIES, getPath, personalFieldsOf, setPath, UnmappedEventTypeError } from './personal-fields';
import { ERASED, normaliseNaturalId, subjectHash, subjectRef } from './subjects';

interface Planned {
  event: number;
  path: string;
  subject: string;
  value: string;
}

/**
 * Turns events into their stored form (personal fields sealed in envelopes) and back (opened, or ERASED once the
 * subject's key was destroyed). Values that already read ERASED are stored as they are: no key is made for them.
 */
export class PersonalDataCodec {
  constructor(private readonly keys: KeyStore, private readonly streamKeySecret: string) {}

  async seal(streamName: string, events: NewEvent[]): Promise<NewEvent[]> {
    const category = streamCategory(streamName);
    const planned: Planned[] = [];
    events.forEach((event, index) => {
      const fields = personalFieldsOf(event.type);
      if (fields === null && DOMAIN_CATEGORIES.includes(category)) throw new UnmappedEventTypeError(event.type, category);
      for (const field of fields ?? []) {
        const value = getPath(event.data, field.path);
        if (value === undefined || value === null || value === ERASED) continue;
        const naturalId = getPath(event.data, field.idFrom);
        if (typeof value !== 'string' || typeof naturalId !== 'string') {
          throw new Error(`The personal field ${field.path} of ${event.type} and its subject ${field.idFrom} must be strings`);
        }
        const id = subjectHash(field.subject, normaliseNaturalId(field.subject, naturalId), this.streamKeySecret);
        planned.push({ event: index, path: field.path, subject: subjectRef({ type: field.subject, id }), value });
      }
    });
    if (planned.length === 0) return events;
    const keys = await this.keys.keysForWriting(planned.map((p) => p.subject));
    const copies = events.map((event) => ({ ...event, data: structuredClone(event.data) }));
    for (const p of planned) {
      const { generation, key } = keys.get(p.subject)!;
      const eventId = copies[p.event].eventId.toLowerCase();
      setPath(copies[p.event].data, p.path, seal(key, p.value, { subject: p.subject, generation, eventId, path: p.path }));
    }
    return copies;
  }

  /**
   * Opens every envelope. The subject of each opened field is given in `personalData` (path → `<type>:<hash>`), so
   * readers can find that person's data again when an erasure comes. A PersonalDataErased event in the batch drops its
   * subject's cached key first, so nothing after it in the log (or before it) is shown with a key known destroyed.
   */
  async open(events: StoredEvent[]): Promise<StoredEvent[]> {
    const found = events.map((event) => envelopesIn(event.data));
    for (const event of events) {
      if (event.type === PERSONAL_DATA_ERASED) this.keys.forget(subjectRef((event.data as PersonalDataErasedData).subject));
    }
    const needed = new Map<string, Set<number>>();
    for (const { envelope } of found.flat()) needed.set(envelope.s, (needed.get(envelope.s) ?? new Set()).add(envelope.g));
    if (needed.size === 0) return events;
    const keys = await this.keys.keysForReading(needed);
    return events.map((event, i) => {
      if (found[i].length === 0) return event;
      const data = structuredClone(event.data);
      const personalData: Record<string, string> = {};
      for (const { path, envelope } of found[i]) {
        const key = keys.get(envelope.s)?.get(envelope.g);
        const context = { subject: envelope.s, generation: envelope.g, eventId: event.eventId, path };
        setPath(data, path, key ? open(key, envelope, context) : ERASED);
        personalData[path] = envelope.s;
      }
      return { ...event, data, personalData };
    });
  }
}

/** Every envelope in a value, with its dotted path (found by shape, so it does not depend on the map's version). */
function envelopesIn(value: unknown, path = ''): { path: string; envelope: Envelope }[] {
  if (isEnvelope(value)) return [{ path, envelope: value }];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => envelopesIn(inner, path ? `${path}.${key}` : key));
}
