import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { bearerTokenMatches } from './bearer';

export interface MetricsServerOptions {
  readonly registry: Registry;
  readonly port: number;
  readonly host?: string;
  /** When set, scrapes must send `Authorization: Bearer <token>`. */
  readonly token?: string;
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A bare node:http listener for a process that has no HTTP server of its own (the worker):
 * GET /metrics answers the registry in the Prometheus text format, anything else is a 404.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, token } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (token !== undefined && !bearerTokenMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' });
      res.end('a bearer token is required\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Prometheus keeps its connection alive; without this close() waits for it to idle out.
        server.closeAllConnections();
      }),
  };
}
