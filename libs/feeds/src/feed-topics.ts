import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';

/**
 * Names on the broker. Every feed topic starts with FEED_TOPIC_PREFIX; a lead provider's topic and consumer groups
 * start with `ect-register.lead-provider.<id>.`, which is what its ACLs grant (see leadProviderAcls).
 */
export const FEED_TOPIC_PREFIX = 'ect-register.lead-provider.';
export const CONTACT_FEED_SCHEMA_VERSION = 1;

/** The service's own principal: it writes every feed topic and nothing else (see serviceAcls). */
export const SERVICE_PRINCIPAL = 'ect-register-service';

export const CONTACT_TOPIC_SUFFIX = '.contacts.v1';
export const contactTopic = (leadProviderId: string): string => `${FEED_TOPIC_PREFIX}${leadProviderId}${CONTACT_TOPIC_SUFFIX}`;
export const consumerGroupPrefix = (leadProviderId: string): string => `${FEED_TOPIC_PREFIX}${leadProviderId}.`;
export const leadProviderPrincipal = (leadProviderId: string): string => `lead-provider-${leadProviderId}`;

/**
 * Lead provider ids a feed can be provisioned for. The domain also allows dots, but with a dot one provider's prefix
 * could cover another's (`lp.` covers `lp.x.`'s groups) and Kafka treats `.` and `_` in topic names as colliding;
 * so a dotted id is refused by provisioning and its outbox rows wait for a topic that never comes (see the relay).
 */
const FEED_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isFeedLeadProviderId(id: string): boolean {
  return FEED_ID.test(id);
}

const allow = (principal: string) => ({ principal: `User:${principal}`, host: '*', permissionType: AclPermissionTypes.ALLOW });

/**
 * A lead provider may read its own topic (READ implies DESCRIBE) and use consumer groups under its prefix (READ on
 * the group: join, fetch and commit offsets; DESCRIBE to see them). Nothing else: the broker denies what no ACL
 * allows, so other topics and groups give authorization errors.
 */
export function leadProviderAcls(leadProviderId: string): AclEntry[] {
  if (!isFeedLeadProviderId(leadProviderId)) throw new Error(`"${leadProviderId}" is not a lead provider id a feed can be provisioned for`);
  const base = allow(leadProviderPrincipal(leadProviderId));
  const topic = { resourceType: AclResourceTypes.TOPIC, resourceName: contactTopic(leadProviderId), resourcePatternType: ResourcePatternTypes.LITERAL };
  const groups = { resourceType: AclResourceTypes.GROUP, resourceName: consumerGroupPrefix(leadProviderId), resourcePatternType: ResourcePatternTypes.PREFIXED };
  return [
    { ...base, ...topic, operation: AclOperationTypes.READ },
    { ...base, ...topic, operation: AclOperationTypes.DESCRIBE },
    { ...base, ...groups, operation: AclOperationTypes.READ },
    { ...base, ...groups, operation: AclOperationTypes.DESCRIBE },
  ];
}

/**
 * The relay's principal: WRITE on every feed topic (which, since Kafka 3.0, also lets an idempotent producer get its
 * producer id, so no cluster-wide IDEMPOTENT_WRITE is needed) and DESCRIBE to list which feed topics exist. No
 * CREATE: topics are made by provisioning, with the partitions chosen there.
 */
export function serviceAcls(principal = SERVICE_PRINCIPAL): AclEntry[] {
  const base = allow(principal);
  const topics = { resourceType: AclResourceTypes.TOPIC, resourceName: FEED_TOPIC_PREFIX, resourcePatternType: ResourcePatternTypes.PREFIXED };
  return [
    { ...base, ...topics, operation: AclOperationTypes.WRITE },
    { ...base, ...topics, operation: AclOperationTypes.DESCRIBE },
  ];
}
