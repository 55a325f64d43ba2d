import type { Pool } from 'pg';
import { liveSchema } from '@ect/projection-runtime';
import type { ContactSnapshot } from './contact-snapshot';
import { LEAD_PROVIDER_CONTACTS } from './lead-provider-contacts.projection';

const S = liveSchema(LEAD_PROVIDER_CONTACTS);

export interface ContactsPage {
  leadProviderId: string;
  page: number;
  pageSize: number;
  total: number;
  /** The same snapshots the provider's Kafka topic holds (latest per school), ordered by URN. */
  items: ContactSnapshot[];
}

/** The schools the lead provider sees now, with their contact snapshots, a page at a time. */
export async function leadProviderContacts(pool: Pool, leadProviderId: string, page: number, pageSize: number): Promise<ContactsPage> {
  const [rows, count] = await Promise.all([
    pool.query<{ snapshot: ContactSnapshot }>(`select snapshot from ${S}.contacts where lead_provider_id = $1 order by urn limit $2 offset $3`, [
      leadProviderId,
      pageSize,
      (page - 1) * pageSize,
    ]),
    pool.query<{ n: number }>(`select count(*)::int as n from ${S}.contacts where lead_provider_id = $1`, [leadProviderId]),
  ]);
  return { leadProviderId, page, pageSize, total: count.rows[0].n, items: rows.rows.map((r) => r.snapshot) };
}
