export * from './feed-topics';
export { enqueueFeedMessage, topicsHoldingKey, FEED_OUTBOX_SQL, OUTBOX_CHANNEL, unsentCount, type FeedMessage, type Query } from './outbox';
export { prefixWithin, relayProducer, topicMessages } from './relay-batch';
export { startRelay, relayOff, type Relay, type RelayHealth, type RelayOptions, type RelayState } from './relay';
export { openFeedKafka, localKafkaDir, type FeedKafka } from './feed-kafka';
export { startFeedRelay, type FeedRelay } from './feed-relay';
