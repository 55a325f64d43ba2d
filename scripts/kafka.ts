/**
 * A real Apache Kafka broker for tests, CI and `KAFKA=local`: one KRaft node (broker + controller in one JVM) on
 * 127.0.0.1 only, with SASL/SCRAM-SHA-512 authentication and ACLs (StandardAuthorizer, deny when no ACL matches).
 *
 * Its jars come from Maven Central through `kafka/pom.xml` (`mvn dependency:copy-dependencies`, cached under
 * `.kafka/lib/`); it runs on the machine's Java (17+). Nothing here fakes a broker.
 *
 * Library: `startLocalKafka({ dataDir })`, `createScramUser`, `deleteScramUser`, `createAcls`, `kafkaClient`,
 * `kafkaConnectionFromEnv`. CLI: `tsx scripts/kafka.ts start [--data-dir DIR] [--port N]` (`npm run kafka:start`),
 * `tsx scripts/kafka.ts fetch`. Environment: JAVA_HOME (else `java` on PATH), MVN (else `mvn`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Kafka, logLevel, type AclEntry, type logCreator, type SASLOptions } from 'kafkajs';

// ---------------------------------------------------------------------------------------------------------------
// Connections and credentials (any cluster: the local one, or the one named by KAFKA_BROKERS)

export type SaslMechanism = 'scram-sha-512' | 'scram-sha-256' | 'plain';

export interface SaslCredentials {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/** How to reach a cluster as its administrator (a super user: creates topics, principals and ACLs). */
export interface KafkaConnection {
  brokers: string[];
  /** The administrator's credentials. */
  sasl: SaslCredentials;
  /** TLS to the brokers (never for the local broker). */
  ssl?: boolean;
}

/**
 * The cluster named by the environment, or undefined when KAFKA_BROKERS is unset:
 * KAFKA_BROKERS (comma separated host:port), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD,
 * KAFKA_SASL_MECHANISM (scram-sha-512 by default; scram-sha-256 or plain), KAFKA_SSL (true/false, false by default).
 */
export function kafkaConnectionFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaConnection | undefined {
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) return undefined;
  const username = env.KAFKA_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD;
  if (!username || !password) {
    throw new Error('KAFKA_BROKERS is set but KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is not: the cluster must be reached with SASL credentials');
  }
  const mechanism = (env.KAFKA_SASL_MECHANISM ?? 'scram-sha-512').toLowerCase();
  if (mechanism !== 'scram-sha-512' && mechanism !== 'scram-sha-256' && mechanism !== 'plain') {
    throw new Error(`KAFKA_SASL_MECHANISM must be scram-sha-512, scram-sha-256 or plain, not ${mechanism}`);
  }
  return { brokers, sasl: { mechanism, username, password }, ssl: /^(1|true|yes)$/i.test(env.KAFKA_SSL ?? '') };
}

/** A kafkajs client for the cluster, as the administrator or as the principal whose credentials are given. */
export function kafkaClient(
  conn: KafkaConnection,
  opts: { credentials?: SaslCredentials; clientId?: string; logLevel?: logLevel; logCreator?: logCreator; retries?: number; connectionTimeout?: number } = {},
): Kafka {
  const creds = opts.credentials ?? conn.sasl;
  return new Kafka({
    clientId: opts.clientId ?? `ect-register-${creds.username}`,
    brokers: conn.brokers,
    ssl: conn.ssl ?? false,
    sasl: { mechanism: creds.mechanism, username: creds.username, password: creds.password } as SASLOptions,
    logLevel: opts.logLevel ?? (opts.logCreator ? logLevel.INFO : logLevel.NOTHING),
    ...(opts.logCreator ? { logCreator: opts.logCreator } : {}),
    connectionTimeout: opts.connectionTimeout ?? 3000,
    ...(opts.retries === undefined ? {} : { retry: { retries: opts.retries } }),
  });
}

const PRINCIPAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** A random password made of hex digits only (safe inside Kafka's `[password=...]` config syntax). */
export function randomPassword(): string {
  return randomBytes(24).toString('hex');
}

/**
 * Creates (or replaces the password of) a SCRAM-SHA-512 principal `User:<username>` and waits until it can log in.
 * kafkajs has no AlterUserScramCredentials API, so this runs Kafka's own `kafka-configs` tool
 * (org.apache.kafka.tools.ConfigCommand) from the Maven-fetched jars, as the administrator.
 */
export async function createScramUser(conn: KafkaConnection, username: string, password = randomPassword()): Promise<SaslCredentials> {
  if (!PRINCIPAL_NAME.test(username)) throw new Error(`invalid principal name ${JSON.stringify(username)} (letters, digits, '.', '_' and '-')`);
  if (!/^[A-Za-z0-9._~+/-]{8,}$/.test(password)) throw new Error('the password must be at least 8 characters without spaces, commas, quotes, = or brackets');
  await runConfigCommand(conn, ['--alter', '--add-config', `SCRAM-SHA-512=[iterations=8192,password=${password}]`, '--entity-type', 'users', '--entity-name', username]);
  const credentials: SaslCredentials = { mechanism: 'scram-sha-512', username, password };
  // The controller has the credential; the broker applies it from the metadata log shortly after.
  await waitUntil(() => canAuthenticate(conn, credentials), 20000, `principal ${username} to be able to log in`);
  return credentials;
}

/** Removes the SCRAM-SHA-512 credential of `User:<username>` (its ACLs stay until deleted). */
export async function deleteScramUser(conn: KafkaConnection, username: string): Promise<void> {
  if (!PRINCIPAL_NAME.test(username)) throw new Error(`invalid principal name ${JSON.stringify(username)}`);
  await runConfigCommand(conn, ['--alter', '--delete-config', 'SCRAM-SHA-512', '--entity-type', 'users', '--entity-name', username]);
}

/** True when the credentials log in (SASL handshake and a metadata request succeed). */
export async function canAuthenticate(conn: KafkaConnection, credentials: SaslCredentials): Promise<boolean> {
  const admin = kafkaClient(conn, { credentials, retries: 0, clientId: 'ect-register-auth-probe' }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Creates ACLs with kafkajs as the administrator, then waits until the broker's authorizer serves them
 * (CreateAcls goes to the controller; the broker learns them from the metadata log a moment later).
 */
export async function createAcls(conn: KafkaConnection, acl: AclEntry[]): Promise<void> {
  if (acl.length === 0) return;
  const admin = kafkaClient(conn, { clientId: 'ect-register-acl-admin' }).admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl });
    await waitUntil(
      async () => {
        for (const entry of acl) {
          const found = await admin.describeAcls({ ...entry });
          if (!found.resources.some((r) => r.acls.length > 0)) return false;
        }
        return true;
      },
      20000,
      'the new ACLs to reach the broker',
    );
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Jars (Maven) and Java

export const PROJECT_ROOT = findProjectRoot(__dirname);
const POM = join(PROJECT_ROOT, 'kafka', 'pom.xml');

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'kafka', 'pom.xml')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(__dirname, '..');
  }
}

/** The Kafka version `kafka/pom.xml` pins. */
export function kafkaVersion(): string {
  const m = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!m) throw new Error(`${POM} has no <kafka.version> property`);
  return m[1].trim();
}

export interface KafkaJars {
  version: string;
  /** Directory holding every jar; the Java class path is `<libDir>/*`. */
  libDir: string;
}

let jarsPromise: Promise<KafkaJars> | undefined;

/**
 * The broker's jars, fetched once by Maven into `.kafka/lib/<version>-<pom hash>/` and reused while the pom is
 * unchanged (no Maven run at all then). Several processes may call it at once: each fetches into its own directory
 * and renames it into place.
 */
export function ensureKafkaJars(log: (line: string) => void = () => undefined): Promise<KafkaJars> {
  jarsPromise ??= fetchJars(log).catch((e: unknown) => {
    jarsPromise = undefined;
    throw e;
  });
  return jarsPromise;
}

async function fetchJars(log: (line: string) => void): Promise<KafkaJars> {
  const version = kafkaVersion();
  const hash = createHash('sha256').update(readFileSync(POM)).digest('hex').slice(0, 12);
  const libRoot = join(PROJECT_ROOT, '.kafka', 'lib');
  const libDir = join(libRoot, `${version}-${hash}`);
  if (existsSync(join(libDir, '.complete'))) return { version, libDir };

  await mkdir(libRoot, { recursive: true });
  const tmp = await mkdtemp(join(libRoot, `.fetch-${version}-`));
  log(`Fetching Apache Kafka ${version} jars with Maven (kafka/pom.xml) into ${libDir} ...`);
  const started = Date.now();
  const args = ['-B', '-q', '-Dstyle.color=never', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`];
  const result = await run(process.env.MVN ?? 'mvn', args, { cwd: PROJECT_ROOT });
  if (result.error || result.code !== 0) {
    await rm(tmp, { recursive: true, force: true });
    const why = result.error?.code === 'ENOENT' ? 'Maven (`mvn`) is not installed or not on PATH' : `mvn exited with ${result.code}`;
    throw new Error(`Could not fetch the Kafka jars: ${why}.\n$ mvn ${args.join(' ')}\n${result.output.slice(-4000)}`);
  }
  await writeFile(join(tmp, '.complete'), `${version}\n`);
  try {
    await rename(tmp, libDir);
  } catch (e) {
    // Another process got there first.
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(join(libDir, '.complete'))) throw e;
  }
  log(`Fetched the Kafka jars in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return { version, libDir };
}

function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

let javaChecked = false;
function checkJava(): void {
  if (javaChecked) return;
  const r = spawnSync(javaCommand(), ['-version'], { encoding: 'utf8' });
  if (r.error) throw new Error(`Java is needed to run the local Kafka broker, but \`${javaCommand()}\` could not be run: ${r.error.message}`);
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr + r.stdout);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (!(major >= 17)) throw new Error(`Apache Kafka 4 needs Java 17 or newer; \`${javaCommand()} -version\` says:\n${r.stderr}`);
  javaChecked = true;
}

/** Runs a main class from the Kafka jars with a small heap and quiet logging. */
async function runKafkaTool(mainClass: string, args: string[], opts: { cwd?: string } = {}): Promise<{ code: number | null; output: string }> {
  checkJava();
  const { libDir } = await ensureKafkaJars();
  const log4j = await toolsLog4jConfig();
  const r = await run(
    javaCommand(),
    ['-Xms32m', '-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', `-Dlog4j2.configurationFile=${log4j}`, '-cp', join(libDir, '*'), mainClass, ...args],
    { cwd: opts.cwd ?? PROJECT_ROOT },
  );
  if (r.error) throw r.error;
  return r;
}

async function runConfigCommand(conn: KafkaConnection, args: string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ect-kafka-admin-'));
  try {
    const file = join(dir, 'admin-client.properties');
    await writeFile(file, clientProperties(conn.sasl, conn.ssl ?? false), { mode: 0o600 });
    const r = await runKafkaTool('org.apache.kafka.tools.ConfigCommand', ['--bootstrap-server', conn.brokers.join(','), '--command-config', file, ...args]);
    if (r.code !== 0) throw new Error(`kafka-configs ${args.filter((a) => !a.includes('password=')).join(' ')} failed (exit ${r.code}):\n${r.output.slice(-4000)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Java client properties for a principal (for Kafka's own command-line tools). */
export function clientProperties(credentials: SaslCredentials, ssl = false): string {
  const module = credentials.mechanism === 'plain' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
  return [
    `security.protocol=${ssl ? 'SASL_SSL' : 'SASL_PLAINTEXT'}`,
    `sasl.mechanism=${credentials.mechanism.toUpperCase()}`,
    `sasl.jaas.config=${module} required username=${jaasString(credentials.username)} password=${jaasString(credentials.password)};`,
    '',
  ].join('\n');
}

function jaasString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

let toolsLog4j: Promise<string> | undefined;
function toolsLog4jConfig(): Promise<string> {
  toolsLog4j ??= (async () => {
    const file = join(PROJECT_ROOT, '.kafka', 'tools-log4j2.properties');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, log4jConfig('warn', 'SYSTEM_ERR'));
    return file;
  })();
  return toolsLog4j;
}

function log4jConfig(level: string, target: 'SYSTEM_OUT' | 'SYSTEM_ERR'): string {
  return [
    'status = warn',
    'appender.out.type = Console',
    'appender.out.name = out',
    `appender.out.target = ${target}`,
    'appender.out.layout.type = PatternLayout',
    'appender.out.layout.pattern = [%d] %p %m (%c)%n',
    `rootLogger.level = ${level}`,
    'rootLogger.appenderRef.out.ref = out',
    // The state-change and request loggers are noisy at info.
    'logger.statechange.name = state.change.logger',
    'logger.statechange.level = warn',
    'logger.request.name = kafka.request.logger',
    'logger.request.level = warn',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The local broker

export interface LocalKafkaOptions {
  /** Where the broker keeps everything: config, metadata and topic data, logs, the admin's credentials. */
  dataDir: string;
  /** Client (SASL_PLAINTEXT) port on 127.0.0.1. Default: the one this data dir used last, else a free port. */
  port?: number;
  /** Java heap limit, e.g. '512m' (default). */
  heap?: string;
  /** How long to wait for the broker to serve (default 120 s). */
  startTimeoutMs?: number;
  /** Progress messages (fetching jars, formatting, started). */
  log?: (line: string) => void;
  /** Extra JVM options, after the defaults (so they win), e.g. ['-XX:TieredStopAtLevel=4'] for full JIT. */
  jvmOptions?: string[];
  /** Extra or overriding server.properties entries. */
  serverProperties?: Record<string, string | number | boolean>;
}

export interface LocalKafka extends KafkaConnection {
  sasl: SaslCredentials & { mechanism: 'scram-sha-512' };
  ssl: false;
  version: string;
  dataDir: string;
  /** JSON with brokers and the administrator's SASL credentials (mode 0600). */
  credentialsFile: string;
  /** Java client properties for the administrator, for Kafka's command-line tools (mode 0600). */
  clientPropertiesFile: string;
  /** The broker's own output. */
  logFile: string;
  /** The JVM's process id while it runs. */
  pid(): number | undefined;
  running(): boolean;
  /** Stops the broker (SIGTERM: a clean shutdown) and waits for its process to end. Data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same data dir and the same ports, and waits until it serves. */
  start(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
}

interface State {
  clusterId: string;
  kafkaVersion: string;
  clientPort: number;
  controllerPort: number;
  adminPassword: string;
  /** Controller listener (SASL/PLAIN, inside this node only). */
  controllerPassword: string;
}

const ADMIN = 'admin';

/**
 * Starts a one-node KRaft Kafka (broker + controller) with its data in `dataDir`, and resolves once it serves an
 * authenticated admin request. A data dir that already holds a broker is reused (same cluster, data, principals,
 * ACLs, ports if free); an empty one is formatted, with the administrator's SCRAM credential added at format time.
 */
export async function startLocalKafka(opts: LocalKafkaOptions): Promise<LocalKafka> {
  const log = opts.log ?? (() => undefined);
  const dataDir = resolve(opts.dataDir);
  checkJava();
  const { version, libDir } = await ensureKafkaJars(log);
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o700);

  const stateFile = join(dataDir, 'local-kafka.json');
  const logDir = join(dataDir, 'data');
  const formatted = existsSync(join(logDir, 'meta.properties')) && existsSync(stateFile);
  let state: State;
  if (formatted) {
    state = JSON.parse(await readFile(stateFile, 'utf8')) as State;
    const clientPort = opts.port ?? ((await portIsFree(state.clientPort)) ? state.clientPort : await freePort());
    const controllerPort = (await portIsFree(state.controllerPort)) && state.controllerPort !== clientPort ? state.controllerPort : await freePort([clientPort]);
    if (state.kafkaVersion !== version) log(`This data dir was last used by Kafka ${state.kafkaVersion}; starting it with ${version}.`);
    state = { ...state, clientPort, controllerPort, kafkaVersion: version };
  } else {
    await rm(logDir, { recursive: true, force: true });
    const clientPort = opts.port ?? (await freePort());
    state = {
      clusterId: randomClusterId(),
      kafkaVersion: version,
      clientPort,
      controllerPort: await freePort([clientPort]),
      adminPassword: randomPassword(),
      controllerPassword: randomPassword(),
    };
  }

  const serverProps = join(dataDir, 'server.properties');
  const brokerLog4j = join(dataDir, 'log4j2.properties');
  await writeFile(serverProps, serverProperties(state, logDir, opts.serverProperties ?? {}), { mode: 0o600 });
  await writeFile(brokerLog4j, log4jConfig('info', 'SYSTEM_OUT'));
  await writeFile(stateFile, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });

  if (!formatted) {
    log(`Formatting ${logDir} (cluster ${state.clusterId}) ...`);
    const r = await runKafkaTool('kafka.tools.StorageTool', [
      'format',
      '--cluster-id', state.clusterId,
      '--config', serverProps,
      '--add-scram', `SCRAM-SHA-512=[name=${ADMIN},iterations=8192,password=${state.adminPassword}]`,
    ]);
    if (r.code !== 0) throw new Error(`kafka-storage format failed (exit ${r.code}):\n${r.output.slice(-4000)}`);
  }

  const brokers = [`127.0.0.1:${state.clientPort}`];
  const sasl = { mechanism: 'scram-sha-512' as const, username: ADMIN, password: state.adminPassword };
  const credentialsFile = join(dataDir, 'credentials.json');
  const clientPropertiesFile = join(dataDir, 'admin-client.properties');
  await writeFile(credentialsFile, JSON.stringify({ brokers, sasl, kafkaVersion: version }, null, 2) + '\n', { mode: 0o600 });
  await writeFile(clientPropertiesFile, `bootstrap.servers=${brokers.join(',')}\n${clientProperties(sasl)}`, { mode: 0o600 });

  const logFile = join(dataDir, 'kafka.out');
  const conn: KafkaConnection = { brokers, sasl, ssl: false };
  const javaArgs = [
    '-Xms128m', `-Xmx${opts.heap ?? '512m'}`,
    '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:+ExitOnOutOfMemoryError',
    // C1 only: starts in about 2/3 of the time on a busy 2-core machine; peak throughput does not matter here.
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${brokerLog4j}`,
    `-Dkafka.logs.dir=${dataDir}`,
    ...(opts.jvmOptions ?? []),
    '-cp', join(libDir, '*'),
    'kafka.Kafka', serverProps,
  ];

  let proc: BrokerProcess | undefined;
  const start = async () => {
    if (proc?.running()) return;
    const started = Date.now();
    proc = await launch(javaArgs, logFile, dataDir);
    try {
      await waitUntilServing(conn, proc, opts.startTimeoutMs ?? 120000, logFile);
    } catch (e) {
      await proc.stop();
      throw e;
    }
    log(`Kafka ${version} serves on ${brokers.join(',')} (SASL_PLAINTEXT, SCRAM-SHA-512), started in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${proc.pid}).`);
  };
  const stop = async () => {
    await proc?.stop();
  };
  await start();

  return {
    brokers,
    sasl,
    ssl: false,
    version,
    dataDir,
    credentialsFile,
    clientPropertiesFile,
    logFile,
    pid: () => (proc?.running() ? proc.pid : undefined),
    running: () => proc?.running() ?? false,
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

function serverProperties(state: State, logDir: string, extra: Record<string, string | number | boolean>): string {
  const jaasScram = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${ADMIN}" password="${state.adminPassword}";`;
  // KRaft controllers cannot use SCRAM (credentials live in the metadata they serve): the controller listener uses
  // SASL/PLAIN with one user, the node itself, declared here. Neither listener accepts unauthenticated connections.
  const jaasPlain = `org.apache.kafka.common.security.plain.PlainLoginModule required username="${ADMIN}" password="${state.controllerPassword}" user_${ADMIN}="${state.controllerPassword}";`;
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${state.controllerPort}`,
    listeners: `CLIENT://127.0.0.1:${state.clientPort},CONTROLLER://127.0.0.1:${state.controllerPort}`,
    'advertised.listeners': `CLIENT://127.0.0.1:${state.clientPort}`,
    'listener.security.protocol.map': 'CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
    'inter.broker.listener.name': 'CLIENT',
    'controller.listener.names': 'CONTROLLER',
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.client.sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'listener.name.client.scram-sha-512.sasl.jaas.config': jaasScram,
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config': jaasPlain,
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:${ADMIN}`,
    'allow.everyone.if.no.acl.found': false,
    'log.dirs': logDir,
    'auto.create.topics.enable': false,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 3,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'share.coordinator.state.topic.num.partitions': 3,
    'group.initial.rebalance.delay.ms': 0,
    'log.segment.bytes': 1048576,
    'log.cleaner.enable': true,
    'log.cleaner.threads': 1,
    'log.cleaner.backoff.ms': 1000,
    'log.cleaner.dedupe.buffer.size': 16777216,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'background.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    ...extra,
  };
  return Object.entries(props).map(([k, v]) => `${k}=${String(v)}`).join('\n') + '\n';
}

interface BrokerProcess {
  pid: number;
  running(): boolean;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts the JVM, its output appended to logFile. A watchdog shell holds a pipe from this process: if this process
 * dies without stopping the broker (killed test run), the pipe closes and the watchdog stops the JVM.
 */
async function launch(javaArgs: string[], logFile: string, cwd: string): Promise<BrokerProcess> {
  const out = await open(logFile, 'a');
  await out.write(`\n==== ${new Date().toISOString()} starting: java ${javaArgs.join(' ')}\n`);
  let child: ChildProcess;
  let spawned: Promise<void>;
  let exited: Promise<number | null>;
  try {
    child = spawn(javaCommand(), javaArgs, { cwd, stdio: ['ignore', out.fd, out.fd] });
    spawned = new Promise<void>((ok, fail) => {
      child.once('spawn', ok);
      child.once('error', fail);
    });
    exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  } finally {
    await out.close();
  }
  await spawned;
  const pid = child.pid!;
  const watchdog = spawn('sh', ['-c', 'read -r _; kill -TERM "$1" 2>/dev/null', 'kafka-watchdog', String(pid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.on('error', () => undefined);
  watchdog.stdin!.on('error', () => undefined);
  let alive = true;
  void exited.then(() => {
    alive = false;
    watchdog.kill('SIGKILL');
    watchdog.stdin!.destroy();
  });
  return {
    pid,
    running: () => alive,
    exited,
    async stop() {
      if (!alive) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntilServing(conn: KafkaConnection, proc: BrokerProcess, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc.exited.then((c) => (exitCode = c));
  for (;;) {
    if (!proc.running() || exitCode !== undefined) {
      throw new Error(`The Kafka broker exited (${exitCode}) before it served. Its output (${logFile}):\n${await tail(logFile)}`);
    }
    const admin = kafkaClient(conn, { retries: 0, connectionTimeout: 1000, clientId: 'ect-register-ready-probe' }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch {
      // not yet
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`The Kafka broker did not serve within ${timeoutMs} ms. Its output (${logFile}):\n${await tail(logFile)}`);
    }
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

/** Kafka's cluster id: 16 random bytes, URL-safe base64 without padding, not starting with '-'. */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function freePort(avoid: number[] = []): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => (avoid.includes(port) ? freePort(avoid).then(ok, fail) : ok(port)));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once('error', () => ok(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => ok(true)));
  });
}

function run(cmd: string, args: string[], opts: { cwd: string }): Promise<{ code: number | null; output: string; error?: NodeJS.ErrnoException }> {
  return new Promise((ok) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const add = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-64000);
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    child.once('error', (error: NodeJS.ErrnoException) => ok({ code: null, output, error }));
    child.once('close', (code) => ok({ code, output }));
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function tail(file: string, bytes = 6000): Promise<string> {
  try {
    const size = (await stat(file)).size;
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(bytes, size));
      await fh.read(buf, 0, buf.length, size - buf.length);
      return buf.toString();
    } finally {
      await fh.close();
    }
  } catch {
    return '(no output)';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CLI: tsx scripts/kafka.ts start [--data-dir DIR] [--port N]   (foreground; Ctrl-C stops it)
//      tsx scripts/kafka.ts fetch                                (only fetch the jars)

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const opt = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (command === 'fetch') {
    // For CI: fetch (or find cached) the jars up front, so a Maven problem shows before the tests.
    const jars = await ensureKafkaJars((l) => process.stdout.write(`${l}\n`));
    process.stdout.write(`Kafka ${jars.version} jars: ${jars.libDir}\n`);
    return;
  }
  if (command !== 'start') {
    process.stderr.write('usage: tsx scripts/kafka.ts start [--data-dir DIR] [--port N]\n       tsx scripts/kafka.ts fetch\n');
    process.exit(2);
  }
  const dataDir = resolve(opt('--data-dir') ?? process.env.KAFKA_DATA_DIR ?? join(PROJECT_ROOT, '.kafka', 'local'));
  const portArg = opt('--port') ?? process.env.KAFKA_PORT;
  const kafka = await startLocalKafka({ dataDir, port: portArg ? Number(portArg) : undefined, log: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(
    [
      '',
      `Bootstrap:   ${kafka.brokers.join(',')}  (SASL_PLAINTEXT, SCRAM-SHA-512, Kafka ${kafka.version})`,
      `Credentials: ${kafka.credentialsFile}  (administrator "${kafka.sasl.username}", a super user)`,
      `Java tools:  --command-config ${kafka.clientPropertiesFile}`,
      `Broker log:  ${kafka.logFile}`,
      `Use it:      KAFKA_BROKERS=${kafka.brokers.join(',')} KAFKA_SASL_USERNAME=${kafka.sasl.username} KAFKA_SASL_PASSWORD=$(node -p "require('${kafka.credentialsFile}').sasl.password")`,
      'Ctrl-C stops it; the data stays for the next start.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('Stopping Kafka ...\n');
    kafka.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // If the broker dies on its own, say so and exit non-zero.
  const timer = setInterval(() => {
    if (!stopping && !kafka.running()) {
      clearInterval(timer);
      process.stderr.write(`Kafka stopped unexpectedly; see ${kafka.logFile}\n`);
      process.exit(1);
    }
  }, 1000);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
