import type { LogLevel } from '@memfleet/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { DestinationStream, Logger } from 'pino';
import { createLogger as createMemfleetLogger } from '@memfleet/logging';
import { pinoHttp, type HttpLogger } from 'pino-http';

export { REDACT_PATHS } from '@memfleet/logging';

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return createMemfleetLogger({ level, service: 'memfleet-api', destination });
}

/** Request ids we accept from a caller: short and printable, so they cannot forge log lines. */
const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honour the caller's x-request-id when it is sane, mint one otherwise, and echo it back. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

export function createHttpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: requestIdOf,
    // Probes hit these every few seconds; a line each would drown the requests that matter.
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    // The problem filter logs 500s with their error id; a second copy of the error adds nothing.
    customErrorMessage: (_req, res) => `request failed with ${res.statusCode}`,
    serializers: {
      req: (req: { id: unknown; method: string; url: string; headers: unknown }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        headers: req.headers,
      }),
    },
  });
}
