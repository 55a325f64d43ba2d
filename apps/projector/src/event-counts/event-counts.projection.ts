import { streamCategory } from '@ect/event-store';
import { defineProjection } from '@ect/projection-runtime';

/**
 * For operators: how many events of each type each stream category received per day (UTC, by the store's
 * recorded time). Category and type only, never stream names, so it holds no personal data.
 *
 *   select * from proj_event_counts.event_counts order by day desc, events desc;
 */
export const eventCounts = defineProjection({
  name: 'event-counts',
  handlers: {},
  anyOtherEvent: async (event, ctx) => {
    await ctx.query(
      `insert into ${ctx.table('event_counts')} (day, category, event_type, events)
       values ($1, $2, $3, 1)
       on conflict (day, category, event_type) do update set events = event_counts.events + 1`,
      [event.recordedAt.toISOString().slice(0, 10), streamCategory(event.streamName), event.type],
    );
  },
  migrations: [
    {
      id: '001-event-counts',
      sql: `create table event_counts (
              day date not null,
              category text not null,
              event_type text not null,
              events bigint not null,
              primary key (day, category, event_type)
            )`,
    },
  ],
});
