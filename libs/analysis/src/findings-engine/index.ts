export * from './findings-engine.types';
export * from './reconcile';
export * from './evaluate';
export * from './compact-point';
