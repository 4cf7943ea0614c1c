export * from './queue.registry';
export * from './redis-connection';
export * from './collect-scheduler';
