import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

/** Spec helper: a real loopback HTTP(S) receiver that records requests and TCP connections. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  port: number;
  url: string;
  received: Received[];
  /** TCP connections accepted: the proof that a refused delivery sent nothing. */
  connections: () => number;
}

export type Handler = (req: Received, res: http.ServerResponse, n: number) => void;

export interface ReceiverOptions {
  host?: string;
  tls?: { key: string; cert: string };
}

const open: http.Server[] = [];

export async function startReceiver(
  handler: Handler,
  options: ReceiverOptions = {},
): Promise<Receiver> {
  const host = options.host ?? '127.0.0.1';
  const received: Received[] = [];
  let connections = 0;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString() };
      received.push(r);
      handler(r, res, received.length);
    });
  };
  const server = options.tls
    ? https.createServer(options.tls, onRequest)
    : http.createServer(onRequest);
  // 'connection' fires on the raw TCP accept, before any TLS handshake.
  server.on('connection', () => connections++);
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const scheme = options.tls ? 'https' : 'http';
  return {
    port,
    url: `${scheme}://${urlHost}:${port}/hook`,
    received,
    connections: () => connections,
  };
}

/** Call from afterAll: closes every receiver this module started. */
export async function closeReceivers(): Promise<void> {
  const servers = open.splice(0).filter((s) => s.listening);
  await Promise.all(
    servers.map((s) => {
      s.closeAllConnections();
      return new Promise<void>((resolve) => s.close(() => resolve()));
    }),
  );
}
