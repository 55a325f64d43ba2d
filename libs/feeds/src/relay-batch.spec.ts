import type { OutboxRow } from './outbox';
import { prefixWithin, topicMessages } from './relay-batch';

const row = (id: number, topic: string, value: string | null): OutboxRow => ({ id: String(id), topic, key: `10000${id}`, value, event_id: `e${id}`, position: String(id), schema_version: 1 });

describe('cutting a batch to a size the broker accepts', () => {
  it('keeps the longest prefix within the byte limit, in order', () => {
    const rows = [row(1, 't', 'x'.repeat(94)), row(2, 't', 'x'.repeat(94)), row(3, 't', 'x'.repeat(94))];

    expect(prefixWithin(rows, 200).map((r) => r.id)).toEqual(['1', '2']);
    expect(prefixWithin(rows, 10_000)).toEqual(rows);
  });

  it('still sends a single row larger than the limit (alone), so the queue never stalls on it', () => {
    expect(prefixWithin([row(1, 't', 'x'.repeat(1000)), row(2, 't', 'y')], 100).map((r) => r.id)).toEqual(['1']);
  });
});

describe('messages of a batch', () => {
  it('groups rows by topic in queue order, with the feed headers on values and tombstones alike', () => {
    const messages = topicMessages([row(1, 'a', '{"v":1}'), row(2, 'b', '{"v":2}'), row(3, 'a', null)]);

    expect(messages).toEqual([
      {
        topic: 'a',
        messages: [
          { key: '100001', value: '{"v":1}', headers: { 'event-id': 'e1', position: '1', 'schema-version': '1', 'content-type': 'application/json' } },
          { key: '100003', value: null, headers: { 'event-id': 'e3', position: '3', 'schema-version': '1', 'content-type': 'application/json' } },
        ],
      },
      { topic: 'b', messages: [{ key: '100002', value: '{"v":2}', headers: { 'event-id': 'e2', position: '2', 'schema-version': '1', 'content-type': 'application/json' } }] },
    ]);
  });
});
