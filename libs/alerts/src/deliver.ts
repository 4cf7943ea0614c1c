import * as http from 'node:http';
import * as https from 'node:https';
import { parseRetryAfter } from './retry-schedule';
import { createGuardedAgents, SsrfRefusedError, type GuardedAgents } from './ssrf-guard';

export interface DeliveryRequest {
  url: string;
  body: string;
  /** The signed webhook-* headers plus anything else to send. */
  headers: Readonly<Record<string, string>>;
  /** Covers connect, send and the response headers. */
  timeoutMs?: number;
  /** Built once from the allow-list and reused; the default admits no private address. */
  agents?: GuardedAgents;
}

export interface DeliveryOutcome {
  ok: boolean;
  status?: number;
  latencyMs: number;
  error?: string;
  /** 410 Gone: the receiver asks us to stop; the endpoint must be disabled, not retried. */
  gone: boolean;
  retryAfterSeconds?: number;
  /** The Location of a refused redirect, for the delivery log. */
  location?: string;
  /** The SSRF guard refused the address before any connection was made. */
  refused?: boolean;
}

export const DEFAULT_DELIVERY_TIMEOUT_MS = 15_000;

let defaultAgents: GuardedAgents | undefined;

/**
 * One POST of one attempt. Every HTTP-level result comes back as an outcome, never as a throw,
 * so the caller decides retry vs give-up from one place. Redirects are never followed: a 3xx
 * could point a verified public endpoint at an internal address, so it counts as a failure.
 */
export function deliverOnce(request: DeliveryRequest): Promise<DeliveryOutcome> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  const started = performance.now();
  const latency = (): number => Math.round(performance.now() - started);

  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve({ ok: false, gone: false, latencyMs: 0, error: 'invalid URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve({
      ok: false,
      gone: false,
      latencyMs: 0,
      error: `unsupported scheme ${url.protocol}`,
    });
  }
  const agents = request.agents ?? (defaultAgents ??= createGuardedAgents());
  const send = url.protocol === 'https:' ? https.request : http.request;
  const agent = url.protocol === 'https:' ? agents.https : agents.http;

  return new Promise<DeliveryOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: DeliveryOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };

    const req = send(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'memfleet-webhooks/1',
        ...request.headers,
        'content-length': String(Buffer.byteLength(request.body)),
      },
    });

    const timer = setTimeout(() => {
      finish({
        ok: false,
        gone: false,
        latencyMs: latency(),
        error: `timeout after ${timeoutMs} ms`,
      });
      req.destroy();
    }, timeoutMs);

    req.on('response', (res) => {
      // The body is not read, only drained, so a huge response cannot hold memory.
      res.resume();
      finish(classify(res, latency()));
    });
    req.on('error', (err) => {
      const refused = err instanceof SsrfRefusedError;
      finish({
        ok: false,
        gone: false,
        latencyMs: latency(),
        error: err.message,
        ...(refused ? { refused: true } : {}),
      });
    });
    req.end(request.body);
  });
}

function classify(res: http.IncomingMessage, latencyMs: number): DeliveryOutcome {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return { ok: true, status, latencyMs, gone: false };
  if (status === 410) return { ok: false, status, latencyMs, gone: true, error: 'HTTP 410 Gone' };
  if (status >= 300 && status < 400) {
    const location = res.headers.location;
    return {
      ok: false,
      status,
      latencyMs,
      gone: false,
      error: `HTTP ${status} redirect not followed${location ? ` (Location: ${location})` : ''}`,
      ...(location ? { location } : {}),
    };
  }
  const retryAfterSeconds = parseRetryAfter(headerValue(res.headers['retry-after']));
  return {
    ok: false,
    status,
    latencyMs,
    gone: false,
    error: `HTTP ${status}`,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
