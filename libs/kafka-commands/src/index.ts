export { KafkaCommandsModule, kafkaCommandsMicroservice } from './kafka-commands.module';
export { kafkaCommandsFromEnv, parsePrincipalRoles, DEFAULT_COMMANDS_GROUP_ID, type KafkaCommandsOptions, type KafkaConnectionOptions } from './kafka-commands.config';
export { COMMANDS_TOPIC, commandTopicOf, replyTopicOf, senderAcls, serviceAcls } from './kafka-commands.topics';
export { COMMAND_TYPES, type CommandType } from './kafka-commands.message';
export type { CommandReply } from './kafka-commands.processor';
export type { CommandResultBody } from './kafka-commands.dispatch';
