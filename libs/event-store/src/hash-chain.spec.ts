import { canonicalEventText, chainHashes, eventHash, jsonbText, numericText, type HashedEventContent } from './hash-chain';

// The canonical form's rules (hash-chain.ts). That PostgreSQL produces the same text is checked against a real
// server in postgres/pg-hash-chain.int.spec.ts.
const content: HashedEventContent = {
  streamName: 'school-100001',
  streamVersion: 3,
  eventId: '0F0E0D0C-0B0A-4908-8706-050403020100',
  type: 'UserLinkedToSchool',
  schemaVersion: 1,
  data: { userId: 'u', email: 'a@b.example' },
  metadata: { correlationId: 'c', causationId: null, actingUserId: null, actingService: 'svc' },
  recordedAt: new Date('2026-01-02T03:04:05.006Z'),
};

describe('canonical JSON text (PostgreSQL jsonb output)', () => {
  describe('given an object', () => {
    it('orders keys by UTF-8 byte length, then bytewise, with ": " and ", "', () => {
      expect(jsonbText({ bb: 1, a: 2, ab: 3, é: 4, z: 5 })).toBe('{"a": 2, "z": 5, "ab": 3, "bb": 1, "é": 4}');
    });

    it('orders nested objects too, and prints empty ones and arrays compactly', () => {
      expect(jsonbText({ x: [1, { d: {}, c: [] }], w: null })).toBe('{"w": null, "x": [1, {"c": [], "d": {}}]}');
    });
  });

  describe('given strings', () => {
    it('escapes quotes, backslashes and control characters as PostgreSQL does, and keeps other characters', () => {
      expect(jsonbText('a"b\\c\n\t\r\b\f\u0001\u001f\u007f é ☃ 𝄞 \u2028 /')).toBe(
        '"a\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\u007f é ☃ 𝄞 \u2028 /"',
      );
    });
  });

  describe('given numbers', () => {
    it.each([
      [0, '0'],
      [-0, '0'],
      [42, '42'],
      [-12.25, '-12.25'],
      [0.1, '0.1'],
      [1e21, '1000000000000000000000'],
      [1.2345e25, '12345000000000000000000000'],
      [1.5e-7, '0.00000015'],
      [-2.5e-10, '-0.00000000025'],
      [123456789.123, '123456789.123'],
      [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    ])('prints %p as plain decimal %p', (value, text) => {
      expect(numericText(value)).toBe(text);
    });

    it('refuses what JSON cannot hold', () => {
      expect(() => jsonbText(Number.NaN)).toThrow(TypeError);
      expect(() => jsonbText(undefined)).toThrow(TypeError);
    });
  });
});

describe('the canonical event text', () => {
  it('holds every stored field, the id in lower case, the time in UTC milliseconds and the previous hash', () => {
    expect(canonicalEventText(content, null)).toBe(
      '{"data": {"email": "a@b.example", "userId": "u"}, "type": "UserLinkedToSchool", "eventId": ' +
        '"0f0e0d0c-0b0a-4908-8706-050403020100", "metadata": {"causationId": null, "actingUserId": null, ' +
        '"actingService": "svc", "correlationId": "c"}, "prevHash": null, "recordedAt": "2026-01-02T03:04:05.006Z", ' +
        '"streamName": "school-100001", "hashVersion": 1, "schemaVersion": 1, "streamVersion": 3}',
    );
  });

  it('changes the hash when any field or the previous hash changes', () => {
    const base = eventHash(content, null);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const variants: Partial<HashedEventContent>[] = [
      { streamName: 'school-100002' },
      { streamVersion: 4 },
      { eventId: '1f0e0d0c-0b0a-4908-8706-050403020100' },
      { type: 'UserUnlinkedFromSchool' },
      { schemaVersion: 2 },
      { data: { userId: 'v', email: 'a@b.example' } },
      { metadata: { ...(content.metadata as object), actingUserId: 'x' } },
      { recordedAt: new Date('2026-01-02T03:04:05.007Z') },
    ];
    for (const variant of variants) expect(eventHash({ ...content, ...variant }, null)).not.toBe(base);
    expect(eventHash(content, 'a'.repeat(64))).not.toBe(base);
    expect(eventHash({ ...content, eventId: content.eventId.toLowerCase() }, null)).toBe(base);
  });

  it('chains client-side hashes from a previous hash', () => {
    const { streamVersion, ...rest } = content;
    const links = chainHashes([rest, rest], streamVersion, 'p'.repeat(64));
    expect(links[0]).toEqual({ prevHash: 'p'.repeat(64), hash: eventHash(content, 'p'.repeat(64)) });
    expect(links[1]).toEqual({ prevHash: links[0].hash, hash: eventHash({ ...content, streamVersion: 4 }, links[0].hash) });
  });
});
