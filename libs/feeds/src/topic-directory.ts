import type { Admin, Kafka } from 'kafkajs';
import { FEED_TOPIC_PREFIX } from './feed-topics';

/**
 * Which feed topics exist, as the relay's principal sees them (DESCRIBE on the feed prefix). The relay never creates
 * a topic: provisioning does, with its partitions and ACLs. Until then that topic's rows wait, in order, while other
 * topics go on. Absent topics are asked about again at most every `recheckMs`.
 */
export class TopicDirectory {
  private known = new Set<string>();
  private checkedAt = 0;
  private admin: Admin | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly recheckMs: number,
  ) {}

  /** The topics among `topics` that do not exist (as of the last check). */
  async missing(topics: string[]): Promise<string[]> {
    if (topics.every((t) => this.known.has(t))) return [];
    if (Date.now() - this.checkedAt >= this.recheckMs) await this.refresh();
    return topics.filter((t) => !this.known.has(t));
  }

  /** Forgets what it knows (after a failed send: a topic may have been deleted), so the next call asks the broker. */
  forget(): void {
    this.known.clear();
    this.checkedAt = 0;
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }

  private async refresh(): Promise<void> {
    this.admin ??= this.kafka.admin({ retry: { retries: 1 } });
    try {
      await this.admin.connect();
      const topics = await this.admin.listTopics();
      this.known = new Set(topics.filter((t) => t.startsWith(FEED_TOPIC_PREFIX)));
      this.checkedAt = Date.now();
    } catch (error) {
      await this.close();
      throw error;
    }
  }
}
