export const WORKER_CONFIG = Symbol('WorkerConfig');
export const COLLECT_QUEUE_TOKEN = Symbol('CollectQueue');
