export * from './logger';
export * from './nest-pino.logger';
