import { ROLES, type Role } from '@ect/nest-kit';
import { ConfigError } from '@ect/platform';
import { SENDER_PRINCIPAL } from './kafka-commands.topics';

/** How the API reaches the cluster, as its own principal (same shape as scripts/kafka.ts KafkaConnection). */
export interface KafkaConnectionOptions {
  brokers: string[];
  sasl: { mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain'; username: string; password: string };
  ssl?: boolean;
}

export interface KafkaCommandsOptions {
  connection: KafkaConnectionOptions;
  /** Sender principal name (without `User:`) → roles, as a token's `roles` claim. Only these senders' topics are consumed. */
  principalRoles: Record<string, Role[]>;
  /** Consumer group of the API processes; they share the command topics' partitions. */
  groupId: string;
  clientId?: string;
}

export const DEFAULT_COMMANDS_GROUP_ID = 'ect-register.commands';

/**
 * Reads KAFKA_PRINCIPAL_ROLES (JSON object: principal → roles) and KAFKA_COMMANDS_GROUP_ID. Null when no sender is
 * configured: then there is nothing to consume. A bad value stops the process with a message naming the variable.
 */
export function kafkaCommandsFromEnv(connection: KafkaConnectionOptions, env: Record<string, string | undefined> = process.env): KafkaCommandsOptions | null {
  const principalRoles = parsePrincipalRoles(env.KAFKA_PRINCIPAL_ROLES);
  const groupId = env.KAFKA_COMMANDS_GROUP_ID?.trim() || DEFAULT_COMMANDS_GROUP_ID;
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(groupId)) throw new ConfigError('KAFKA_COMMANDS_GROUP_ID', 'must be 1 to 200 of A-Z a-z 0-9 . _ -');
  if (Object.keys(principalRoles).length === 0) return null;
  return { connection, principalRoles, groupId };
}

export function parsePrincipalRoles(raw: string | undefined): Record<string, Role[]> {
  const variable = 'KAFKA_PRINCIPAL_ROLES';
  if (!raw?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(variable, 'must be a JSON object, e.g. {"svc-identity-sync":["identity-sync"]}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(variable, 'must be a JSON object of principal → roles');
  const result: Record<string, Role[]> = {};
  for (const [principal, roles] of Object.entries(parsed)) {
    const name = principal.startsWith('User:') ? principal.slice('User:'.length) : principal;
    if (!SENDER_PRINCIPAL.test(name)) throw new ConfigError(variable, `has principal "${principal}": use letters, digits, '_' and '-' (no dots)`);
    if (!Array.isArray(roles) || roles.some((r) => !(ROLES as readonly unknown[]).includes(r))) {
      throw new ConfigError(variable, `gives "${principal}" roles that are not a list of: ${ROLES.join(', ')}`);
    }
    result[name] = [...new Set(roles as Role[])];
  }
  return result;
}
