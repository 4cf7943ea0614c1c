export * from './command';
export * from './errors';
export * from './fingerprint';
export * from './host-key-policy';
export * from './split-output';
export * from './to-bundle';
export * from './types';
export * from './wire-format';
export { SshCollector } from './ssh-collector';
