import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest's own messages (route mapping, lifecycle) go to the same JSON log as everything else.
 * `logLevel` is where Nest's `log` calls land: the API's dozens of route lines belong at debug,
 * the worker's few lifecycle lines at info.
 */
export class NestPinoLogger implements LoggerService {
  constructor(
    private readonly logger: Logger,
    private readonly logLevel: 'info' | 'debug' = 'debug',
  ) {}

  log(message: unknown, context?: string): void {
    this.logger[this.logLevel]({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
