/**
 * Provisions contact feeds on a Kafka cluster, as its administrator:
 *
 *   npm run feeds:provision -- <leadProviderId> [--partitions N] [--replication-factor N] [--password P]
 *     the compacted topic ect-register.lead-provider.<id>.contacts.v1 (left as it is when it exists), the SCRAM
 *     principal lead-provider-<id> (its password printed once; running again sets a new one) and its ACLs: read its
 *     own topic and use consumer groups prefixed ect-register.lead-provider.<id>. — nothing else.
 *   npm run feeds:provision -- --service [--password P]
 *     the service's principal ect-register-service: write and describe the feed topics (the relay connects as it).
 *
 * Which cluster: KAFKA_BROKERS with KAFKA_ADMIN_SASL_USERNAME / KAFKA_ADMIN_SASL_PASSWORD (KAFKA_SASL_MECHANISM,
 * KAFKA_SSL as for the service); else the local broker of `--data-dir DIR`, of DATA_DIR/kafka with KAFKA=local
 * (`npm start`'s), or of `.kafka/local` (`npm run kafka:start`'s), using the credentials it keeps there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigResourceTypes } from 'kafkajs';
import { contactTopic, isFeedLeadProviderId, leadProviderAcls, leadProviderPrincipal, SERVICE_PRINCIPAL, serviceAcls } from '../libs/feeds/src/feed-topics';
import { createAcls, createScramUser, kafkaClient, kafkaConnectionFromEnv, PROJECT_ROOT, type KafkaConnection, type SaslCredentials } from './kafka';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Topic settings. Compacted: the latest value per school stays for good. For a week every version stays readable
 * (min.compaction.lag.ms), and so do tombstones (delete.retention.ms): a consumer less than a week behind sees each
 * change and each removal; one offline longer must rebuild its copy from the beginning. Older versions are compacted
 * away within 8 days (max.compaction.lag.ms), which bounds how long an erased person's data (replaced by a new
 * snapshot at the erasure) can still be read from the topic.
 */
export const FEED_TOPIC_CONFIG: Record<string, string> = {
  'cleanup.policy': 'compact',
  'min.compaction.lag.ms': String(7 * DAY_MS),
  'max.compaction.lag.ms': String(8 * DAY_MS),
  'delete.retention.ms': String(7 * DAY_MS),
};

export interface ProvisionedLeadProvider {
  topic: string;
  /** False when the topic already existed (its partitions are left as they were). */
  topicCreated: boolean;
  partitions: number;
  credentials: SaslCredentials;
}

/** Creates the topic if missing, then the principal (new password) and its ACLs; safe to run again. */
export async function provisionLeadProvider(
  conn: KafkaConnection,
  leadProviderId: string,
  opts: { partitions?: number; replicationFactor?: number; password?: string } = {},
): Promise<ProvisionedLeadProvider> {
  if (!isFeedLeadProviderId(leadProviderId)) {
    throw new Error(`"${leadProviderId}" cannot have a feed: use 1 to 64 letters, digits, '-' or '_' (a dot would let one provider's prefix cover another's)`);
  }
  const topic = contactTopic(leadProviderId);
  const admin = kafkaClient(conn, { clientId: 'ect-register-feeds-provision' }).admin();
  await admin.connect();
  let topicCreated: boolean;
  let partitions: number;
  try {
    topicCreated = await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: opts.partitions ?? 1, replicationFactor: opts.replicationFactor ?? -1, configEntries: Object.entries(FEED_TOPIC_CONFIG).map(([name, value]) => ({ name, value })) }],
    });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    partitions = metadata.topics[0].partitions.length;
    const config = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }] });
    const policy = config.resources[0].configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
    if (policy !== 'compact') throw new Error(`topic ${topic} exists with cleanup.policy=${policy}; a contact feed must be compacted`);
  } finally {
    await admin.disconnect();
  }
  const credentials = await createScramUser(conn, leadProviderPrincipal(leadProviderId), opts.password);
  await createAcls(conn, leadProviderAcls(leadProviderId));
  return { topic, topicCreated, partitions, credentials };
}

/** The relay's principal: WRITE and DESCRIBE on every feed topic (prefix), nothing else. */
export async function provisionService(conn: KafkaConnection, opts: { username?: string; password?: string } = {}): Promise<SaslCredentials> {
  const username = opts.username ?? SERVICE_PRINCIPAL;
  const credentials = await createScramUser(conn, username, opts.password);
  await createAcls(conn, serviceAcls(username));
  return credentials;
}

/** The cluster to provision, as its administrator (see the header). */
export function adminConnection(env: NodeJS.ProcessEnv, dataDirArg?: string): KafkaConnection {
  if (env.KAFKA_BROKERS?.trim()) {
    const username = env.KAFKA_ADMIN_SASL_USERNAME;
    const password = env.KAFKA_ADMIN_SASL_PASSWORD;
    if (!username || !password) throw new Error('With KAFKA_BROKERS set, provisioning needs the administrator: set KAFKA_ADMIN_SASL_USERNAME and KAFKA_ADMIN_SASL_PASSWORD');
    return kafkaConnectionFromEnv({ ...env, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password })!;
  }
  const dataDir = dataDirArg
    ? resolve(dataDirArg)
    : env.KAFKA === 'local'
      ? join(resolve(env.DATA_DIR?.trim() || '.data'), 'kafka')
      : resolve(env.KAFKA_DATA_DIR ?? join(PROJECT_ROOT, '.kafka', 'local'));
  const file = join(dataDir, 'credentials.json');
  if (!existsSync(file)) throw new Error(`No Kafka to provision: KAFKA_BROKERS is unset and ${file} does not exist (start one with npm run kafka:start, or npm start with KAFKA=local)`);
  const { brokers, sasl } = JSON.parse(readFileSync(file, 'utf8')) as { brokers: string[]; sasl: SaslCredentials };
  return { brokers, sasl, ssl: false };
}

const VALUE_OPTIONS = ['--partitions', '--replication-factor', '--password', '--data-dir'];

/** `--name value` options, `--service`, and the positional arguments. */
function parseArgs(argv: string[]): { options: Map<string, string>; service: boolean; positional: string[] } {
  const options = new Map<string, string>();
  const positional: string[] = [];
  let service = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--service') service = true;
    else if (VALUE_OPTIONS.includes(arg)) {
      if (argv[i + 1] === undefined) throw new Error(`${arg} needs a value`);
      options.set(arg, argv[++i]);
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else positional.push(arg);
  }
  return { options, service, positional };
}

async function main(argv: string[]): Promise<void> {
  const { options, service: forService, positional } = parseArgs(argv);
  const option = (name: string) => options.get(name);
  const count = (name: string) => {
    const value = option(name);
    if (value !== undefined && !/^[1-9]\d{0,3}$/.test(value)) throw new Error(`${name} must be a whole number from 1 to 9999`);
    return value === undefined ? undefined : Number(value);
  };
  const conn = adminConnection(process.env, option('--data-dir'));
  const password = option('--password');
  const out = (lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`);

  if (forService) {
    const service = await provisionService(conn, { password });
    out([
      `Principal ${service.username}: WRITE and DESCRIBE on topics prefixed ect-register.lead-provider. (nothing else).`,
      'Its password, shown once (store it now; running this again sets a new one):',
      `  KAFKA_BROKERS=${conn.brokers.join(',')} KAFKA_SASL_USERNAME=${service.username} KAFKA_SASL_PASSWORD=${service.password}`,
    ]);
    return;
  }
  if (positional.length !== 1) {
    throw new Error('usage: npm run feeds:provision -- <leadProviderId> [--partitions N] [--replication-factor N] [--password P] [--data-dir DIR]\n       npm run feeds:provision -- --service [--password P] [--data-dir DIR]');
  }
  const id = positional[0];
  const result = await provisionLeadProvider(conn, id, { partitions: count('--partitions'), replicationFactor: count('--replication-factor'), password });
  const requested = count('--partitions');
  out([
    `Topic ${result.topic}: ${result.topicCreated ? 'created' : 'already there, left as it is'} (compacted, ${result.partitions} partition${result.partitions === 1 ? '' : 's'})`,
    ...(requested !== undefined && requested !== result.partitions ? [`  note: --partitions ${requested} not applied; changing the partitions of a keyed topic would move schools between partitions`] : []),
    `Principal ${result.credentials.username}: READ on that topic, READ and DESCRIBE on consumer groups prefixed ect-register.lead-provider.${id}. (nothing else).`,
    'Its password, shown once (store it now; running this again sets a new one):',
    `  LP_KAFKA_BROKERS=${conn.brokers.join(',')} LP_KAFKA_USERNAME=${result.credentials.username} LP_KAFKA_PASSWORD=${result.credentials.password} LP_ID=${id} npx tsx examples/lead-provider-consumer.ts`,
  ]);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
