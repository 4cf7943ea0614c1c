export const COLLECT_QUEUE_TOKEN = Symbol('CollectQueue');
