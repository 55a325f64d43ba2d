import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';

/**
 * Topic layout of commands over Kafka. Kafka does not put the producer's principal on a record, so the topic tells
 * it: sender `<p>` writes to `ect-register.commands.v1.<p>`, and only `User:<p>` may WRITE there (senderAcls). The
 * consumer takes the principal from the topic, so a sender cannot claim another's roles as long as no one else holds
 * WRITE on that topic (super users and the API's own principal aside).
 *
 * Replies go to `<command topic>.reply`, derived from the topic, never from the message: a sender cannot route
 * replies to another sender, and only `User:<p>` may READ them. The name is Nest's `ClientKafka` default
 * (`<pattern>.reply`), so a Nest sender works as well as a plain kafkajs one.
 */
export const COMMANDS_TOPIC = 'ect-register.commands.v1';
const PREFIX = `${COMMANDS_TOPIC}.`;
const REPLY_SUFFIX = '.reply';

/**
 * Names of principals that may send commands. No dots: then `<prefix><p>.reply` can never be the command topic of
 * another principal `<p>.reply`.
 */
export const SENDER_PRINCIPAL = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export const commandTopicOf = (principal: string): string => `${PREFIX}${principal}`;
export const replyTopicOf = (principal: string): string => `${commandTopicOf(principal)}${REPLY_SUFFIX}`;

/** The sending principal of a command topic, or null when the topic is not one. */
export function principalOfCommandTopic(topic: string): string | null {
  if (!topic.startsWith(PREFIX)) return null;
  const principal = topic.slice(PREFIX.length);
  return SENDER_PRINCIPAL.test(principal) ? principal : null;
}

const allow = (principal: string) => ({ principal: `User:${principal}`, host: '*', permissionType: AclPermissionTypes.ALLOW });

/**
 * What a sender needs: WRITE on its own command topic only, READ on its own reply topic, and READ on consumer groups
 * named `<p>.…` (to consume its replies; a Nest ClientKafka with groupId `<p>.replies` uses `<p>.replies-client`).
 */
export function senderAcls(principal: string): AclEntry[] {
  if (!SENDER_PRINCIPAL.test(principal)) throw new Error(`${JSON.stringify(principal)} cannot send commands: use letters, digits, '_' and '-'`);
  const topic = { resourceType: AclResourceTypes.TOPIC, resourcePatternType: ResourcePatternTypes.LITERAL };
  return [
    { ...allow(principal), ...topic, resourceName: commandTopicOf(principal), operation: AclOperationTypes.WRITE },
    { ...allow(principal), ...topic, resourceName: replyTopicOf(principal), operation: AclOperationTypes.READ },
    {
      ...allow(principal),
      resourceType: AclResourceTypes.GROUP,
      resourcePatternType: ResourcePatternTypes.PREFIXED,
      resourceName: `${principal}.`,
      operation: AclOperationTypes.READ,
    },
  ];
}

/**
 * What the API's own principal needs: READ on every command topic, WRITE for the replies, READ on its consumer group,
 * and CREATE so that it creates the topics of configured senders at start (leave CREATE out when an operator creates
 * them). These prefixed grants cover command topics too: the API is the one interpreting them, so that is no forgery.
 */
export function serviceAcls(principal: string, groupId: string): AclEntry[] {
  const prefixed = { resourceType: AclResourceTypes.TOPIC, resourcePatternType: ResourcePatternTypes.PREFIXED, resourceName: PREFIX };
  return [
    { ...allow(principal), ...prefixed, operation: AclOperationTypes.READ },
    { ...allow(principal), ...prefixed, operation: AclOperationTypes.WRITE },
    { ...allow(principal), ...prefixed, operation: AclOperationTypes.CREATE },
    {
      ...allow(principal),
      resourceType: AclResourceTypes.GROUP,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      resourceName: groupId,
      operation: AclOperationTypes.READ,
    },
  ];
}
