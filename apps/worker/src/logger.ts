import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { LogLevel } from '@memfleet/config';

export const LOGGER = Symbol('Logger');

/**
 * JSON lines on stdout. Job payloads and host records are never logged whole; the redaction is a
 * second line of defence for a credential that slips into a logged object anyway.
 */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { app: 'worker' },
    redact: {
      paths: [
        '*.password',
        '*.privateKey',
        '*.passphrase',
        '*.authSecret',
        '*.auth',
        '*.secretKeys',
      ],
      censor: '[redacted]',
    },
  });
}

/** Routes Nest's own messages (module init, shutdown) into the same JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
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
