import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consumer, IHeaders, Kafka, Producer } from 'kafkajs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRuntime, type Clock, type Role, type Runtime } from '@ect/nest-kit';
import { loadConfig } from '@ect/platform';
import { createApiApp } from '../../../apps/api/src/api.app';
import { apiMigrations } from '../../../apps/api/src/api.migrations';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { startTestKafka, uniqueName, type SaslCredentials, type TestKafka } from '../../../test/support/kafka';
import { TEST_AUTH_SECRET, TEST_STREAM_KEY } from '../../../test/support/api';
import { commandTopicOf, replyTopicOf, senderAcls, serviceAcls } from './kafka-commands.topics';

/** A reply as a sender sees it on its reply topic. */
export interface Reply {
  value: any;
  key: string | null;
  headers: Record<string, string>;
  partition: number;
}

/**
 * A service sending commands as its own principal with plain kafkajs: a producer on its command topic and a consumer
 * of its reply topic that keeps every reply, matched to requests by the `request-offset` header.
 */
export class Sender {
  private readonly replies: Reply[] = [];
  private producer!: Producer;
  private consumer!: Consumer;

  constructor(readonly principal: string, readonly credentials: SaslCredentials, private readonly client: Kafka) {}

  get topic(): string {
    return commandTopicOf(this.principal);
  }

  async start(): Promise<void> {
    this.producer = this.client.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    this.consumer = this.client.consumer({ groupId: `${this.principal}.replies` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [replyTopicOf(this.principal)], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
        this.replies.push({ value: JSON.parse(message.value!.toString()), key: message.key?.toString() ?? null, headers, partition });
      },
    });
  }

  /** Sends a command (an object is sent as JSON, a string or Buffer as it is); resolves to the message's offset. */
  async send(value: unknown, options: { key?: string; headers?: IHeaders } = {}): Promise<string> {
    const raw = typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value);
    const [sent] = await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key: options.key ?? null, value: raw, headers: options.headers }] });
    return sent.baseOffset!;
  }

  async reply(offset: string, timeoutMs = 30000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.replies.find((r) => r.headers['request-offset'] === offset);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no reply to ${this.topic} offset ${offset} within ${timeoutMs} ms (got ${this.replies.length} replies)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  repliesTo(offset: string): Reply[] {
    return this.replies.filter((r) => r.headers['request-offset'] === offset);
  }

  /** Sends and waits for the reply's value. */
  async request(value: unknown, options: { key?: string; headers?: IHeaders } = {}): Promise<any> {
    return (await this.reply(await this.send(value, options))).value;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await this.consumer?.disconnect();
  }
}

export interface KafkaCommandsHarness {
  kafka: TestKafka;
  app: NestFastifyApplication;
  runtime: Runtime;
  /** The API's own principal. */
  apiPrincipal: string;
  /** One started Sender per role set asked for, by the key given. */
  senders: Record<string, Sender>;
  close(): Promise<void>;
}

/**
 * The real API (Nest, PostgreSQL on a fresh database) with the Kafka command consumer connected to the run's real
 * broker as a principal of its own, holding only serviceAcls; each sender a SCRAM principal holding only senderAcls.
 * Principal and group names are unique, so suites sharing the broker never meet.
 */
export async function startKafkaCommandsApi(options: { senders: Record<string, Role[]>; clock?: Clock }): Promise<KafkaCommandsHarness> {
  const kafka = await startTestKafka();
  const apiPrincipal = uniqueName('ect-register-api');
  const groupId = uniqueName('ect-register.commands');
  const apiCredentials = await kafka.createScramUser(apiPrincipal);
  await kafka.createAcls(serviceAcls(apiPrincipal, groupId));
  const senders: Record<string, Sender> = {};
  const principalRoles: Record<string, Role[]> = {};
  for (const [name, roles] of Object.entries(options.senders)) {
    const principal = uniqueName(`svc-${name}`);
    const credentials = await kafka.createScramUser(principal);
    await kafka.createAcls(senderAcls(principal));
    senders[name] = new Sender(principal, credentials, kafka.client(credentials));
    principalRoles[principal] = roles;
  }

  const database: TestDatabase = await freshDatabase();
  const config = loadConfig({
    APP_ENV: 'test',
    DATABASE_URL: database.url,
    AUTH_JWT_SECRET: TEST_AUTH_SECRET,
    STREAM_KEY_SECRET: TEST_STREAM_KEY,
    DATA_DIR: await mkdtemp(join(tmpdir(), 'ect-kafka-commands-test-')),
    LOG_LEVEL: 'error',
  });
  const runtime = await createRuntime(config, { migrations: apiMigrations, clock: options.clock, poolSize: 10 });
  const connection = { brokers: kafka.brokers, sasl: apiCredentials, ssl: kafka.ssl };
  const app = await createApiApp(runtime, { logger: false, kafkaCommands: { connection, principalRoles, groupId } });
  // Creates the senders' topics (the API holds CREATE on the prefix), then joins the group.
  await app.startAllMicroservices();
  for (const sender of Object.values(senders)) await sender.start();

  return {
    kafka,
    app,
    runtime,
    apiPrincipal,
    senders,
    async close() {
      for (const sender of Object.values(senders)) await sender.stop().catch(() => undefined);
      await app.close();
      await runtime.close();
      await database.drop();
    },
  };
}
