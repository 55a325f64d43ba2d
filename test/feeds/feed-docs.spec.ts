/**
 * The feed's documents: the AsyncAPI document is valid (parsed by @asyncapi/parser, no diagnostics at all) and its
 * snapshot message's payload is the checked-in JSON Schema, the one every published value is validated with in the
 * feed specs (feed-support.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { fromFile, Parser } from '@asyncapi/parser';
import { contactView } from '../../projections/lead-provider-contacts/contact-snapshot';
import { evolveSchool, initialSchoolState, type SchoolEvent } from '@ect/schools';
import { SCHEMA_FILE } from './feed-support';

const ASYNCAPI_FILE = join(__dirname, '../../docs/feeds/asyncapi.yaml');
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));

/** The schema with its local `#/definitions/...` references replaced by what they name, as the parser resolves them. */
function inlined(value: unknown, root = value): unknown {
  if (Array.isArray(value)) return value.map((v) => inlined(v, root));
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as { $ref?: string }).$ref;
  if (ref?.startsWith('#/')) return inlined(ref.slice(2).split('/').reduce((node: any, key) => node[key], root), root);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inlined(v, root)]));
}

/** The parser adds `x-parser-*` bookkeeping to every schema; the document's content is the rest. */
function withoutParserKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutParserKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('x-parser-')).map(([k, v]) => [k, withoutParserKeys(v)]));
}

describe('docs/feeds/asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3 document whose snapshot payload is the JSON Schema, with a null payload for tombstones', async () => {
    const { document, diagnostics } = await fromFile(new Parser(), ASYNCAPI_FILE).parse();

    expect(diagnostics.map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`)).toEqual([]);
    expect(document!.version()).toMatch(/^3\./);
    const messages = Object.fromEntries(document!.allMessages().all().map((m) => [m.id(), m]));
    const snapshot = messages.contactSnapshot.payload()!.json() as { schemaFormat: string; schema: unknown };
    expect(snapshot.schemaFormat).toBe('application/schema+json;version=draft-07');
    expect(withoutParserKeys(snapshot.schema)).toEqual(inlined(schema));
    // By reference to the checked-in file, not a copy that could drift.
    expect(readFileSync(ASYNCAPI_FILE, 'utf8')).toMatch(/schemaFormat: application\/schema\+json;version=draft-07\n\s+schema:\n\s+\$ref: \.\/contact-snapshot\.v1\.schema\.json\n/);
    expect(withoutParserKeys(messages.contactRemoved.payload()!.json())).toEqual({ type: 'null' });
    const channel = document!.channels().all()[0];
    expect(channel.address()).toBe('ect-register.lead-provider.{leadProviderId}.contacts.v1');
    expect(channel.bindings().all()[0].value()).toEqual({ topicConfiguration: { 'cleanup.policy': ['compact'], 'delete.retention.ms': 604800000 } });
  });
});

describe('docs/feeds/contact-snapshot.v1.schema.json', () => {
  it('compiles in strict mode and accepts what the projection builds', () => {
    const ajv = new Ajv({ strict: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const events: SchoolEvent[] = [
      { type: 'SchoolDetailsRecorded', data: { urn: '100001', name: 'Oak', status: 'open', inEngland: true, eligibleType: true, section41Approved: false, primaryContactEmail: null, secondaryContactEmail: null } },
      { type: 'SchoolPartnershipConfirmed', data: { contractPeriod: 2026, leadProviderId: 'lp-1', deliveryPartnerId: 'dp-1' } },
    ];
    const snapshot = contactView('100001', events.reduce(evolveSchool, initialSchoolState()), [], '2026-11-25').snapshot;

    expect(validate(snapshot)).toBe(true);
    expect(validate({ ...snapshot, extra: true })).toBe(false);
  });
});
