import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Fields that must never reach a log line, at any of the first three levels of a logged object.
 * Nothing should log a credential in the first place; this is the second line of defence for an
 * error object or a host record that carries one anyway.
 */
const SECRET_FIELDS = [
  'password',
  'privateKey',
  'passphrase',
  'secret',
  'auth',
  'authSecret',
  'secretKeys',
];

export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

export type LogLevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  readonly level: LogLevelName;
  /** Goes into every line as `service`, so API and worker lines can share one stream. */
  readonly service: string;
  readonly destination?: DestinationStream;
}

/** JSON lines (pino) with ISO timestamps and secret redaction: the one log format of memfleet. */
export function createLogger({ level, service, destination }: LoggerOptions): Logger {
  const options = {
    level,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
