export * from './parse-result';
export * from './types';
export * from './bundle';
