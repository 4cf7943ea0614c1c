import type { Logger } from 'pino';
import type { LogLevel } from '@memfleet/config';
import { createLogger as createMemfleetLogger } from '@memfleet/logging';

export const LOGGER = Symbol('Logger');

/**
 * JSON lines on stdout. Job payloads and host records are never logged whole; the shared
 * redaction is a second line of defence for a credential that slips into a logged object anyway.
 */
export function createLogger(level: LogLevel): Logger {
  return createMemfleetLogger({ level, service: 'memfleet-worker' });
}
